#include "worker/store/upload_store.hpp"

#include "worker/store/bson.hpp"

namespace twake::store {

namespace {

constexpr const char* kCollection = "twake_calendar_uploaded_files";

using std::chrono::system_clock;

int64_t millis(system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

UploadedFile read_file(const bson_t* doc) {
    UploadedFile f;
    f.id = get_oid(doc, "_id").value_or("");
    f.username = get_string(doc, "username").value_or("");
    f.file_name = get_string(doc, "fileName").value_or("");
    f.mime_type = get_string(doc, "mimeType").value_or("");
    f.created = get_date(doc, "created").value_or(system_clock::time_point{});
    f.size = get_int(doc, "size").value_or(0);
    bson_iter_t it;
    if (bson_iter_init_find(&it, doc, "data") && BSON_ITER_HOLDS_BINARY(&it)) {
        bson_subtype_t subtype;
        uint32_t length = 0;
        const uint8_t* bytes = nullptr;
        bson_iter_binary(&it, &subtype, &length, &bytes);
        f.data.assign(reinterpret_cast<const char*>(bytes), length);
    }
    return f;
}

}  // namespace

Bson UploadStore::document(const UploadedFile& file, std::string_view data,
                           system_clock::time_point created, std::string& id) {
    bson_oid_t oid;
    bson_oid_init(&oid, nullptr);
    id = oid_hex(oid);
    // Sized for the file at once: growing by doubling would hold up to twice its size.
    Bson doc(bson_sized_new(data.size() + 1024));
    BCON_APPEND(doc.get(), "_id", BCON_OID(&oid), "username", BCON_UTF8(file.username.c_str()),
                "fileName", BCON_UTF8(file.file_name.c_str()), "mimeType",
                BCON_UTF8(file.mime_type.c_str()), "created", BCON_DATE_TIME(millis(created)),
                "size", BCON_INT64(file.size));
    bson_append_binary(doc.get(), "data", -1, BSON_SUBTYPE_BINARY,
                       reinterpret_cast<const uint8_t*>(data.data()),
                       static_cast<uint32_t>(data.size()));
    return doc;
}

void UploadStore::insert(const Bson& document) {
    Collection(pool_, kCollection).insert_one(document.get());
}

std::optional<UploadedFile> UploadStore::get(const std::string& username, const std::string& id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return std::nullopt;
    }
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid), "username", BCON_UTF8(username.c_str())));
    Bson opts(BCON_NEW("limit", BCON_INT64(1)));
    // Read from the cursor's own buffer: a copy of the document would be one more file's size.
    struct Reader : Collection::Visitor {
        std::optional<UploadedFile> found;
        void visit(const bson_t* doc) override { found = read_file(doc); }
    } reader;
    Collection(pool_, kCollection).for_each(filter.get(), opts.get(), reader);
    return std::move(reader.found);
}

std::vector<UploadedFile> UploadStore::list(const std::string& username,
                                            system_clock::time_point now) {
    Bson filter(BCON_NEW("username", BCON_UTF8(username.c_str()), "created", "{", "$gt",
                         BCON_DATE_TIME(millis(now - expiration_)), "}"));
    // The quota needs the sizes only: the contents stay on the server.
    Bson opts(BCON_NEW("projection", "{", "data", BCON_INT32(0), "}", "sort", "{", "created",
                       BCON_INT32(1), "}"));
    std::vector<UploadedFile> out;
    for (const Bson& doc : Collection(pool_, kCollection).find(filter.get(), opts.get())) {
        out.push_back(read_file(doc.get()));
    }
    return out;
}

void UploadStore::remove(const std::string& username, const std::string& id) {
    auto oid = parse_oid(id);
    if (!oid) {
        return;
    }
    Bson filter(BCON_NEW("_id", BCON_OID(&*oid), "username", BCON_UTF8(username.c_str())));
    Collection(pool_, kCollection).delete_one(filter.get());
}

}  // namespace twake::store
