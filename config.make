# Appended to nginx's objs/Makefile: `make modules` builds the module through CMake.
cat << END >> $NGX_MAKEFILE

modules: ngx_http_twake_calendar_module

ngx_http_twake_calendar_module:
	cmake --build $NGX_OBJS/twake_calendar

.PHONY: ngx_http_twake_calendar_module

END
