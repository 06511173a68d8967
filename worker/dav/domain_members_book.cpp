// The DavClient calls on a domain's `domain-members` address book (docs/webadmin.md §9).

#include "shared/identity/address.hpp"
#include "shared/log/log.hpp"
#include "shared/text/percent.hpp"
#include "worker/dav/dav_client.hpp"

namespace twake::dav {

namespace {

const log::Logger kLog("worker.dav");

constexpr std::string_view kBook = "domain-members";

// esn-sabre's book as its JSON API creates it; members may read it, only technical tokens
// write it.
constexpr std::string_view kNewBook =
    R"({"id":"domain-members","dav:name":"Domain Members",)"
    R"("carddav:description":"Address book contains all domain members",)"
    R"("dav:acl":["{DAV:}read"],"type":"group"})";

net::HttpResponse ask(const net::HttpRequest& request) {
    try {
        return net::perform(request);
    } catch (const net::HttpError& e) {
        throw DavError(std::string("esn-sabre unreachable: ") + e.what());
    }
}

bool contains(std::string_view body, std::string_view text) {
    return identity::lower(body).find(identity::lower(text)) != std::string::npos;
}

// A 404 saying the book (or the home above it) does not exist, as sabre words it; any other
// 404 (a missing card) is not one.
bool book_missing(const net::HttpResponse& response) {
    return response.status == 404 &&
           (contains(response.body, "Could not find node at path: addressbooks/") ||
            (contains(response.body, "Addressbook with name '") &&
             contains(response.body, "' could not be found")));
}

[[noreturn]] void refused(const std::string& what, const net::HttpResponse& response) {
    throw DavError("esn-sabre answered " + std::to_string(response.status) + " to " + what);
}

std::string book_path(const std::string& domain_id) {
    return "/addressbooks/" + text::percent_encode(domain_id) + "/" + std::string(kBook);
}

std::string card_path(const std::string& domain_id, const std::string& uid) {
    return book_path(domain_id) + "/" + text::percent_encode(uid) + ".vcf";
}

}  // namespace

void DavClient::create_domain_members_book(const std::string& domain_id) {
    net::HttpRequest request =
        as_domain("/addressbooks/" + text::percent_encode(domain_id) + ".json", domain_id);
    request.method = "POST";
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("Accept", "application/json");
    request.body = std::string(kNewBook);
    net::HttpResponse response = ask(request);
    if (response.status == 201 ||
        contains(response.body, "The resource you tried to create already exists")) {
        kLog.info("domain-members address book created", {{"domainId", domain_id}});
        return;
    }
    refused("the creation of the domain-members address book of " + domain_id, response);
}

std::string DavClient::export_domain_members(const std::string& domain_id) {
    net::HttpRequest request = as_domain(book_path(domain_id) + "?export", domain_id);
    net::HttpResponse response = ask(request);
    if (book_missing(response)) {
        create_domain_members_book(domain_id);
        request = as_domain(book_path(domain_id) + "?export", domain_id);
        response = ask(request);
    }
    if (response.status != 200) {
        refused("the export of the domain-members of " + domain_id, response);
    }
    return std::move(response.body);
}

void DavClient::put_domain_member(const std::string& domain_id, const std::string& uid,
                                  const std::string& vcard) {
    auto put = [&] {
        net::HttpRequest request = as_domain(card_path(domain_id, uid), domain_id);
        request.method = "PUT";
        request.headers.emplace_back("Content-Type", "application/vcard");
        request.headers.emplace_back("Accept", "text/plain");
        request.body = vcard;
        return ask(request);
    };
    net::HttpResponse response = put();
    if (book_missing(response)) {
        create_domain_members_book(domain_id);
        response = put();
    }
    if (response.status != 201 && response.status != 204) {
        refused("the PUT of card " + uid, response);
    }
}

void DavClient::delete_domain_member(const std::string& domain_id, const std::string& uid) {
    net::HttpRequest request = as_domain(card_path(domain_id, uid), domain_id);
    request.method = "DELETE";
    request.headers.emplace_back("Accept", "text/plain");
    net::HttpResponse response = ask(request);
    if (response.status == 204 ||
        (response.status == 404 && contains(response.body, "Card not found"))) {
        return;
    }
    refused("the DELETE of card " + uid, response);
}

}  // namespace twake::dav
