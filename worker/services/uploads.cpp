#include "worker/services/uploads.hpp"

#include "shared/log/log.hpp"
#include "worker/errors/invalid_input.hpp"
#include "worker/runtime/store_call.hpp"

namespace twake::services {

namespace {

const log::Logger kLog("worker.upload");

}  // namespace

runtime::Awaitable<std::string> Uploads::save(const std::string& user,
                                              const imports::UploadRequest& request,
                                              std::string_view content) const {
    store::UploadedFile file;
    file.username = user;
    file.file_name = request.name;
    file.mime_type = request.mime_type;
    file.size = static_cast<int64_t>(content.size());
    std::string id;
    auto document = std::make_shared<const store::Bson>(
        store::UploadStore::document(file, content, std::chrono::system_clock::now(), id));
    store::UploadStore* store = &store_;
    auto work = [store, user, document, id, size = file.size, limit = user_limit_] {
        auto now = std::chrono::system_clock::now();
        for (const std::string& old :
             imports::uploads_to_evict(store->list(user, now), limit, size)) {
            store->remove(user, old);
            kLog.info("Upload evicted to make room", {{"user", user}, {"fileId", old}});
        }
        store->insert(*document);
        return id;
    };
    co_return co_await runtime::run_store_call(blocking_, work);
}

runtime::Awaitable<std::optional<store::UploadedFile>> Uploads::find(const std::string& user,
                                                                     const std::string& id) const {
    store::UploadStore* store = &store_;
    auto work = [store, user, id] { return store->get(user, id); };
    auto file = co_await runtime::run_store_call(blocking_, work);
    if (file && store_.expired(*file, std::chrono::system_clock::now())) {
        throw errors::InvalidInput("Uploaded file has expired");
    }
    co_return file;
}

}  // namespace twake::services
