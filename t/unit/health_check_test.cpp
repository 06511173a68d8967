#include <gtest/gtest.h>

#include "worker/health/health_check.hpp"

using namespace twake::health;

TEST(HealthCheck, AggregateIsTheWorstStatus) {
    EXPECT_EQ(aggregate({}), Status::Healthy);
    EXPECT_EQ(aggregate({{"a", Status::Healthy, {}}, {"b", Status::Degraded, "x"}}),
              Status::Degraded);
    EXPECT_EQ(aggregate({{"a", Status::Unhealthy, "x"}, {"b", Status::Degraded, "y"}}),
              Status::Unhealthy);
}

TEST(HealthCheck, HttpStatusRelaxedAndStrict) {
    EXPECT_EQ(http_status(Status::Healthy, false), 200);
    EXPECT_EQ(http_status(Status::Degraded, false), 200);
    EXPECT_EQ(http_status(Status::Unhealthy, false), 503);
    EXPECT_EQ(http_status(Status::Healthy, true), 200);
    EXPECT_EQ(http_status(Status::Degraded, true), 503);
    EXPECT_EQ(http_status(Status::Unhealthy, true), 503);
}

TEST(HealthCheck, StatusNames) {
    EXPECT_EQ(status_name(Status::Healthy), "healthy");
    EXPECT_EQ(status_name(Status::Degraded), "degraded");
    EXPECT_EQ(status_name(Status::Unhealthy), "unhealthy");
}
