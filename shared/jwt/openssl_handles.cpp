#include "shared/jwt/openssl_handles.hpp"

#include <new>

namespace twake::jwt {

Bio memory_bio(std::string_view bytes) {
    Bio bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
    if (!bio) {
        throw std::bad_alloc();
    }
    return bio;
}

}  // namespace twake::jwt
