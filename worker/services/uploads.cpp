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
                                              std::shared_ptr<const std::string> content) const {
    store::UploadStore* store = &store_;
    auto work = [store, user, request, content, limit = user_limit_] {
        auto now = std::chrono::system_clock::now();
        auto size = static_cast<int64_t>(content->size());
        for (const std::string& id :
             imports::uploads_to_evict(store->list(user, now), limit, size)) {
            store->remove(user, id);
            kLog.info("Upload evicted to make room", {{"user", user}, {"fileId", id}});
        }
        store::UploadedFile file;
        file.username = user;
        file.file_name = request.name;
        file.mime_type = request.mime_type;
        file.size = size;
        return store->save(file, *content, now);
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
