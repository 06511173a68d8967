#pragma once

// The contract between the edge (the nginx module) and the worker, written once for both
// binaries (docs/reference/edge-worker.md): the headers of the edge's calls, how a caller
// authenticated, the REST API's error document, and the worker's refusals that are the edge's
// configuration to fix rather than the caller's fault.
//
// The edge's own secret travels as kEdgeSecret towards the worker, but as
// `Authorization: Bearer` on the worker's calls to the edge's revocation location: the edge
// removes every client-sent X-Twake-* header before anything else (the trust boundary), so
// it could never read it there.

#include <optional>
#include <string>
#include <string_view>

namespace twake::contract {

namespace header {
inline constexpr std::string_view kUser = "X-Twake-User";
inline constexpr std::string_view kAuth = "X-Twake-Auth";
inline constexpr std::string_view kSid = "X-Twake-Sid";
inline constexpr std::string_view kRequestId = "X-Twake-Request-Id";
inline constexpr std::string_view kEdgeSecret = "X-Twake-Edge-Secret";
inline constexpr std::string_view kGivenName = "X-Twake-Given-Name";
inline constexpr std::string_view kFamilyName = "X-Twake-Family-Name";
inline constexpr std::string_view kLinkToken = "X-Twake-Link-Token";
// WebSocket tickets: the address nginx saw (ticket routes and the ticket check only), and the
// ticket the edge asks the worker to consume.
inline constexpr std::string_view kClientAddress = "X-Twake-Client-Address";
inline constexpr std::string_view kTicket = "X-Twake-Ticket";
// On a refusal of the worker that the edge must tell apart: its kind (refusal_name()).
inline constexpr std::string_view kRefusal = "X-Twake-Refusal";
}  // namespace header

// How the caller authenticated (header::kAuth).
enum class AuthMethod { Oidc, Admin, Basic, Jwt, SecretLink, Ticket };

std::string_view auth_method_name(AuthMethod method);
std::optional<AuthMethod> parse_auth_method(std::string_view name);

// Refusals that are not the caller's fault.
enum class Refusal {
    EdgeSecret,  // the worker's API is on TCP and the edge sent no or the wrong secret
};

std::string_view refusal_name(Refusal refusal);

// {"error":{"code":…,"type":…,"message":…,"details":…}}, every field always present.
std::string rest_error_document(unsigned code, std::string_view type, std::string_view message,
                                std::string_view details);
// The `details` of such a document (a worker's refusal, passed on to the client), or `fallback`.
std::string rest_error_details(std::string_view body, std::string fallback);

}  // namespace twake::contract
