module twake-calendar-edge/bench-authorizer

go 1.19
