#include "pd_members.h"

#include <algorithm>
#include <utility>

#include "text.h"

namespace opr::tikv {
namespace ondemand = simdjson::ondemand;

namespace {

bool is_null(ondemand::value value) { return value.type().value() == ondemand::json_type::null; }

std::string copy_string(ondemand::value value) { return std::string(std::string_view(value)); }

// {"name", "member_id", "client_urls", ...}; `where` names it in errors.
// `health` is set when the object is an element of /health's answer.
PdMember read_member(ondemand::object object, const std::string& where,
                     std::optional<bool>* health = nullptr) {
  PdMember member;
  bool has_id = false;
  for (ondemand::field field : object) {
    const ondemand::raw_json_string key = field.key();
    if (key == "name") {
      member.name = copy_string(field.value());
    } else if (key == "member_id") {
      member.member_id = field.value().get_uint64();
      has_id = true;
    } else if (key == "client_urls") {
      ondemand::value urls = field.value();
      if (is_null(urls)) continue;  // a nil Go slice
      for (ondemand::value url : urls.get_array()) member.client_urls.push_back(copy_string(url));
    } else if (health != nullptr && key == "health") {
      *health = field.value().get_bool().value();
    }
  }
  if (!has_id) throw ResponseError(where + " has no member_id");
  return member;
}

// A member object that may be null; nullopt for null.
std::optional<PdMember> read_optional_member(ondemand::value value, const std::string& where) {
  if (is_null(value)) return std::nullopt;
  ondemand::object object = value.get_object();
  // PD omits a missing leader; an empty object says the same.
  if (object.is_empty().value()) return std::nullopt;
  return read_member(object, where);
}

// PD's error answers are JSON strings: say so with their text.
[[noreturn]] void string_document(ondemand::document& doc, const char* expected) {
  throw ResponseError(std::string("expected ") + expected + ", got a JSON string: \"" +
                      body_excerpt(std::string_view(doc.get_string()), 200) + "\"");
}

void too_many(const char* list) {
  throw ResponseError(std::string(list) + " lists more than " + std::to_string(kMaxPdMembers) +
                      " members, the most the pack reads");
}

Fact count_fact(std::string key, size_t value) {
  return {std::move(key), std::to_string(value), true};
}

}  // namespace

PdMembers parse_pd_members(ondemand::parser& parser, std::string_view body, size_t padding) {
  const JsonBody json(body, padding);
  PdMembers out;
  try {
    ondemand::document doc = parser.iterate(json.view());
    if (doc.type().value() == ondemand::json_type::string) {
      string_document(doc, "PD's member list");
    }
    for (ondemand::field field : doc.get_object()) {
      const ondemand::raw_json_string key = field.key();
      if (key == "header") {
        ondemand::value header = field.value();
        if (is_null(header)) continue;
        for (ondemand::field part : header.get_object()) {
          if (part.key() != "error") continue;
          // pdpb.Error{type, message}: PD could not answer.
          std::string message;
          for (ondemand::field detail : part.value().get_object()) {
            if (detail.key() == "message") message = copy_string(detail.value());
          }
          throw ResponseError("PD's answer carries an error: " + body_excerpt(message, 200));
        }
      } else if (key == "members") {
        ondemand::value list = field.value();
        if (is_null(list)) continue;
        for (ondemand::value member : list.get_array()) {
          if (out.members.size() == kMaxPdMembers) too_many("PD's member list");
          out.members.push_back(read_member(member.get_object(),
                                            "members[" + std::to_string(out.members.size()) + "]"));
        }
      } else if (key == "leader") {
        out.leader = read_optional_member(field.value(), "leader");
      } else if (key == "etcd_leader") {
        out.etcd_leader = read_optional_member(field.value(), "etcd_leader");
      }
    }
    if (!at_document_end(doc)) throw ResponseError("unexpected content after PD's member list");
  } catch (const simdjson::simdjson_error& e) {
    throw ResponseError(describe_json_error(e.error()));
  }
  return out;
}

std::vector<PdMemberHealth> parse_pd_health(ondemand::parser& parser, std::string_view body,
                                            size_t padding) {
  const JsonBody json(body, padding);
  std::vector<PdMemberHealth> out;
  try {
    ondemand::document doc = parser.iterate(json.view());
    const ondemand::json_type type = doc.type().value();
    if (type == ondemand::json_type::string) string_document(doc, "PD's member health list");
    if (type != ondemand::json_type::array) {
      throw ResponseError("expected PD's member health list (a JSON array), got a JSON " +
                          std::string(type == ondemand::json_type::object ? "object" : "value"));
    }
    for (ondemand::value element : doc.get_array()) {
      if (out.size() == kMaxPdMembers) too_many("PD's health answer");
      const std::string where = "health[" + std::to_string(out.size()) + "]";
      std::optional<bool> healthy;
      PdMember member = read_member(element.get_object(), where, &healthy);
      if (!healthy)
        throw ResponseError(where + " (member " + pd_member_subject(member) + ") has no health");
      out.push_back({std::move(member), *healthy});
    }
    if (!at_document_end(doc)) {
      throw ResponseError("unexpected content after PD's member health list");
    }
  } catch (const simdjson::simdjson_error& e) {
    throw ResponseError(describe_json_error(e.error()));
  }
  return out;
}

std::string pd_member_subject(const PdMember& member) {
  return member.name.empty() ? "member " + std::to_string(member.member_id) : member.name;
}

std::string pd_member_urls(const PdMember& member) {
  std::string out;
  for (const std::string& url : member.client_urls) out += (out.empty() ? "" : ", ") + url;
  return out;
}

std::vector<std::string> member_instances(const PdMember& member) {
  std::vector<std::string> out;
  for (const std::string_view url : member.client_urls) {
    std::string_view rest = url;
    if (const size_t scheme = rest.find("://"); scheme != std::string_view::npos)
      rest.remove_prefix(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
    if (!rest.empty()) out.emplace_back(rest);
  }
  return out;
}

size_t pd_quorum(size_t members) { return members / 2 + 1; }

PdHealthEvaluation evaluate_pd_health(const PdMembers& members,
                                      const std::vector<PdMemberHealth>& health) {
  PdHealthEvaluation result;
  if (health.empty()) {
    result.failure =
        "PD's health answer lists no members; a PD without members is not monitored (is this "
        "the right PD?)";
    return result;
  }
  std::vector<const PdMemberHealth*> sorted;
  sorted.reserve(health.size());
  for (const PdMemberHealth& entry : health) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const PdMemberHealth* a, const PdMemberHealth* b) {
    return a->member.name != b->member.name ? a->member.name < b->member.name
                                            : a->member.member_id < b->member.member_id;
  });
  result.members_total = health.size();
  std::string unhealthy_names;
  for (const PdMemberHealth* entry : sorted) {
    if (entry->healthy) {
      ++result.members_healthy;
      continue;
    }
    const PdMember& member = entry->member;
    const std::string subject = pd_member_subject(member);
    unhealthy_names += (unhealthy_names.empty() ? "" : ",") + subject;
    Violation v;
    v.subject = subject;
    v.message =
        "PD member " + subject +
        (member.client_urls.empty() ? " (no client URL)" : " at " + pd_member_urls(member)) +
        " is unhealthy";
    v.facts = {text_fact("name", member.name),
               text_fact("member_id", std::to_string(member.member_id)),
               text_fact("client_urls", pd_member_urls(member)), text_fact("health", "false")};
    result.violations.push_back(std::move(v));
  }
  const std::string healthy_of =
      std::to_string(result.members_healthy) + " of " + std::to_string(result.members_total);
  if (members.leader) {
    result.leader = pd_member_subject(*members.leader);
  } else {
    Violation v;
    v.subject = kPdLeaderSubject;
    v.message = "PD has no leader (" + healthy_of + " members healthy)";
    v.facts = {
        count_fact("members_total", result.members_total),
        count_fact("members_healthy", result.members_healthy),
        text_fact("etcd_leader",
                  members.etcd_leader ? pd_member_subject(*members.etcd_leader) : std::string())};
    result.violations.push_back(std::move(v));
  }
  const size_t quorum = pd_quorum(result.members_total);
  if (result.members_healthy < quorum) {
    Violation v;
    v.subject = kPdQuorumSubject;
    v.message = "PD has " + healthy_of + " members healthy, fewer than the " +
                std::to_string(quorum) + " a quorum needs";
    v.facts = {count_fact("members_total", result.members_total),
               count_fact("members_healthy", result.members_healthy), count_fact("quorum", quorum),
               text_fact("unhealthy_members", unhealthy_names)};
    result.violations.push_back(std::move(v));
  }
  return result;
}

}  // namespace opr::tikv
