// Uploads and imports (docs/reference/rest-api.md §17): POST /api/files keeps an ICS or vCard
// file for a while, POST /api/import (and its legacy alias) writes it into a calendar or an
// address book in the background and mails the user a report.

// First: its message.hpp includes <utility> before Boost's awaitable.hpp needs it.
#include "worker/api/routes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include "shared/json/json.hpp"
#include "shared/text/uuid.hpp"
#include "worker/api/caller.hpp"
#include "worker/api/rest_error.hpp"
#include "worker/imports/import_request.hpp"
#include "worker/imports/upload_request.hpp"
#include "worker/services/importer.hpp"
#include "worker/services/uploads.hpp"

namespace twake::api {

namespace {

namespace bh = http::beast_http;

http::Handler upload_handler(ApiContext& ctx, services::Uploads uploads) {
    const config::WorkerConfig* config = &ctx.config;
    return [config, uploads](http::RouteContext& route) -> http::Awaitable<http::Response> {
        Caller caller = require_caller(route.request);
        imports::UploadRequest request = imports::parse_upload_request(
            route.target.param("name"), route.target.param("size"), route.target.param("mimetype"),
            config->upload_user_limit);
        std::string_view content =
            imports::uploaded_content(route.request.body(), route.request[bh::field::content_type]);
        if (static_cast<int64_t>(content.size()) > request.declared_size) {
            throw bad_request("Real size is greater than declared size, expected: " +
                              std::to_string(request.declared_size) +
                              ", got: " + std::to_string(content.size()));
        }
        if (static_cast<int64_t>(content.size()) > config->upload_max_file_size) {
            throw RestError(413, "PayloadTooLarge", "Payload Too Large",
                            "The file is larger than the " +
                                std::to_string(config->upload_max_file_size) +
                                " bytes accepted (upload.max.file.size)");
        }
        std::string id = co_await uploads.save(caller.email, request, content);
        json::Json body = json::Json::object();
        body.set("_id", id);
        co_return json_response(bh::status::created, body.dump());
    };
}

http::Handler import_handler(services::Uploads uploads,
                             std::shared_ptr<const services::Importer> importer) {
    return [uploads, importer](http::RouteContext& route) -> http::Awaitable<http::Response> {
        Caller caller = require_caller(route.request);
        imports::ImportRequest request = imports::parse_import_request(route.request.body());
        imports::ImportTarget target = imports::parse_import_target(request.target);
        auto file = co_await uploads.find(caller.email, request.file_id);
        if (!file) {
            throw bad_request("Uploaded file not found");
        }
        // The file's type decides, as upstream; a target of the other kind is refused.
        bool vcard = file->mime_type == imports::kVcardMime;
        if (vcard != target.address_book) {
            throw bad_request("Invalid target path");
        }
        auto job = std::make_shared<services::ImportJob>();
        job->id = text::random_uuid();
        job->user = caller.email;
        job->target = target;
        job->content = std::make_shared<const std::string>(std::move(file->data));
        auto executor = co_await boost::asio::this_coro::executor;
        // The completion handler keeps the job and the importer alive until the end.
        boost::asio::co_spawn(executor, importer->run(*job),
                              [job, importer](std::exception_ptr, services::ImportOutcome) {});
        json::Json body = json::Json::object();
        body.set("importId", job->id);
        co_return json_response(bh::status::accepted, body.dump());
    };
}

}  // namespace

void add_import_routes(http::Router& router, ApiContext& ctx) {
    services::Uploads uploads(ctx.blocking, ctx.uploads, ctx.config.upload_user_limit);
    auto importer = std::make_shared<const services::Importer>(ctx.config, ctx.blocking, ctx.dav,
                                                               ctx.mailer, ctx.metrics);
    router.add(bh::verb::post, "/api/files", upload_handler(ctx, uploads), "FileUploadRoute");
    router.add(bh::verb::post, "/api/import", import_handler(uploads, importer), "ImportRoute");
    router.add(bh::verb::post, "/linagora.esn.dav.import/api/import",
               import_handler(uploads, importer), "ImportRoute");
}

std::optional<size_t> upload_body_limit(std::string_view target, int64_t max_file_size) {
    std::string_view path = target.substr(0, target.find('?'));
    if (path != "/api/files") {
        return std::nullopt;
    }
    // Room for a multipart envelope around the largest file.
    return static_cast<size_t>(max_file_size) + 64 * 1024;
}

}  // namespace twake::api
