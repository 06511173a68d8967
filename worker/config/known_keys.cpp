#include "worker/config/known_keys.hpp"

#include <algorithm>
#include <array>

namespace twake::config {

namespace {

constexpr std::string_view kConfiguration[] = {
    // storage and domains
    "mongo.url",
    "mongo.database",
    "domains",
    "upload.expiration",
    "upload.user.total.limit",
    "upload.max.file.size",
    // edge concerns (read by the nginx module's configuration, accepted here)
    "rest.api.port",
    "oidc.userInfo.url",
    "oidc.introspect.url",
    "oidc.introspect.credentials",
    "oidc.claim",
    "oidc.introspection.claim",
    "oidc.audience",
    "oidc.token.cache.expiration",
    "oidc.token.cache.maxSize",
    "oidc.fallback.lemon.cookie.resolution.url",
    "oidc.fallback.lemon.cookie.resolution.domain",
    "basic.auth.enabled",
    "admin.username",
    "admin.password",
    "openpaas.backend.url",
    "openpaas.backend.trust.all.certificates",
    // both
    "dav.url",
    "dav.admin.user",
    "dav.admin.password",
    "dav.rest.client.trust.all.ssl.certs",
    "dav.rest.client.response.timeout",
    "dav.rest.client.imip.callback.response.timeout",
    "jwt.key.private",
    "jwt.key.public",
    "jwt.key.validity",
    // worker
    "user.search.disabled.domains",
    "user.search.limited.domains",
    "resource.search.enabled",
    "default.calendar.public.visibility",
    "calendar.public.visibility.setting.enabled",
    "spa.calendar.url",
    "spa.contacts.url",
    "spa.excal.url",
    "self.url",
    "visio.url",
    "calendar.sharing.enabled",
    "contacts.sharing.enabled",
    "domain.contacts.enabled",
    "default.language",
    "default.timezone",
    "default.business.hours.start",
    "default.business.hours.end",
    "default.business.hours.daysOfWeek",
    "default.use.24h.format",
    "jwt.technical.token.secret",
    "jwt.technical.token.expiration",
    "smtp.host",
    "smtp.port",
    "smtp.helo",
    "smtp.username",
    "smtp.password",
    "smtp.ssl.enabled",
    "smtp.starttls.enabled",
    "smtp.ssl.trustAllCerts",
    "mail.template.location",
    "mail.sender",
    "mail.imip.recipient.whitelist",
    "alarm.event.scheduler.mode",
    "alarm.event.scheduler.poll.interval",
    "alarm.event.scheduler.batch.size",
    "alarm.event.scheduler.initial.jitter.max",
    "dav.queues.quorum.bypass",
    "itip.event.messages.prefetch.count",
    "websocket.ping.interval",
    // new in this project: the WebSocket's limits (docs/reference/realtime.md §5)
    "websocket.idle.timeout",
    "websocket.max.message.size",
    "websocket.max.registrations",
    "websocket.outbound.queue.max",
    "websocket.max.connections",
    "websocket.max.lifetime",
    "websocket.push.debounce",
    "websocket.push.consumers.enabled",
    "twp.settings.enabled",
    "common.contacts.enabled",
    "saas.subscription.enabled",
    // JVM system properties upstream, ordinary keys here (docs/configuration.md §2.1)
    "scheduled.consumer.reconnection.delayStartUp",
    "alarm.event.scheduler.lease.ttl",
    "fallback.classic.queues.v1",
    "james.exit.on.startup.error",
    "james.fail.on.missing.configuration",
    // new in this project
    "log.level",
    "edge.listen",
    "edge.secret",
    "edge.listen.allowRemote",
    "edge.listen.group",
    "edge.revocation.urls",
    "smtp.connect.timeout",
    "smtp.command.timeout",
    "mail.template.defaults",
    "websocket.ticket.ip.validation.enabled",
};

constexpr std::string_view kRabbitmq[] = {
    "uri",
    "consumer.retry.max",
    "consumer.retry.delay",
    "test.consumer.enabled",
    "management.uri",
    "management.user",
    "management.password",
    "scheduled.consumer.reconnection.enabled",
    "scheduled.consumer.reconnection.interval",
    "vhost",
    "ssl.enabled",
    "ssl.validation.strategy",
    "ssl.truststore",
    "ssl.truststore.password",
    "ssl.hostname.verifier",
    "quorum.queues.enable",
    "quorum.queues.replication.factor",
    "twp.rabbitmq.uri",
    "twp.rabbitmq.management.uri",
    "twp.queues.quorum.bypass",
    "twp.settings.exchange",
    "twp.settings.routingKey",
    "common.contacts.exchange",
    "channel.pool.size",
    "connection.pool.retries",
    "connection.pool.min.delay.ms",
    "channel.pool.retries",
    "channel.pool.max.delay.ms",
    "channel.pool.size",
    "max.retries",
    "min.delay.ms",
    "connection.timeout",
    "channel.rpc.timeout",
    "handshake.timeout",
    "shutdown.timeout",
    "network.recovery.interval",
    "notification.queue.ttl",
};

constexpr std::string_view kRedis[] = {
    "redisURL",
    "redis.topology",
    "redis.readFrom",
    "redis.sentinelPassword",
    "redis.ssl.enabled",
    "redis.ignoreCertificateCheck",
    "redis.keystore.file.path",
    "redis.keystore.password",
    "redis.ioThreads",
    "redis.workerThreads",
    "eventBus.redis.failure.ignore",
    "eventBus.redis.timeout",
};

constexpr std::string_view kOpensearch[] = {
    "opensearch.masterHost",
    "opensearch.port",
    "opensearch.hosts",
    "opensearch.hostScheme",
    "opensearch.user",
    "opensearch.password",
    "opensearch.hostScheme.https.sslValidationStrategy",
    "opensearch.hostScheme.https.trustStorePath",
    "opensearch.hostScheme.https.trustStorePassword",
    "opensearch.hostScheme.https.hostNameVerifier",
    "opensearch.clusterName",
    "opensearch.nb.shards",
    "opensearch.nb.replica",
    "opensearch.index.waitForActiveShards",
    "opensearch.retryConnection.maxRetries",
    "opensearch.retryConnection.minDelay",
    "opensearch.request.timeout",
    "opensearch.max.connections",
    "opensearch.max.connections.per.hosts",
    "opensearch.index.calendar.events.name",
    "opensearch.alias.read.calendar.events.name",
    "opensearch.alias.write.calendar.events.name",
    "opensearch.index.calendar.events.min.ngram",
    "opensearch.index.calendar.events.max.ngram.diff",
    "opensearch.index.calendar.events.summary.searchPrefix",
    "opensearch.index.calendar.events.fuzzySearch",
    "opensearch.index.calendar.events.queryStringQuery",
    "opensearch.index.contact.user.name",
    "opensearch.alias.read.contact.user.name",
    "opensearch.alias.write.contact.user.name",
    "opensearch.index.contact.domain.name",
    "opensearch.alias.read.contact.domain.name",
    "opensearch.alias.write.contact.domain.name",
    "opensearch.index.contact.min.ngram",
    "opensearch.index.contact.max.ngram.diff",
};

constexpr std::string_view kWebadmin[] = {
    "enabled",
    "host",
    "port",
    "password",
    "password.readonly",
    "password.nodelete",
    "password.generate",
    "password.generate.file",  // ours: where a generated password is written
    "jwt.enabled",
    "jwt.publickeypem.url",
    "https.enabled",
    "https.keystore",
    "https.password",
    "https.trust.keystore",
    "https.trust.password",
    "cors.enable",
    "cors.origin",
    "maxThreadCount",
    "minThreadCount",
};

constexpr std::string_view kHealthcheck[] = {"healthcheck.period"};

template <size_t N>
bool contains(const std::string_view (&keys)[N], std::string_view key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

}  // namespace

bool known_key(std::string_view file, std::string_view key) {
    if (file == "configuration.properties")
        return contains(kConfiguration, key);
    if (file == "rabbitmq.properties")
        return contains(kRabbitmq, key);
    if (file == "redis.properties")
        return contains(kRedis, key);
    if (file == "opensearch.properties")
        return contains(kOpensearch, key);
    if (file == "webadmin.properties")
        return contains(kWebadmin, key);
    if (file == "healthcheck.properties")
        return contains(kHealthcheck, key);
    return true;
}

}  // namespace twake::config
