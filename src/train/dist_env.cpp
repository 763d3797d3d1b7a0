// Reads and checks torchrun's environment variables.
#include "finsent/train/dist_env.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>

#include "finsent/core/error.hpp"

namespace finsent::train {
namespace {

// The variable's value, or nullopt when it is unset or empty.
std::optional<std::string> value_of(const EnvLookup& lookup, const char* name) {
  const char* value = lookup(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

[[noreturn]] void invalid(const char* name, const std::string& value, const std::string& why) {
  throw InputError("environment variable " + std::string(name) + "='" + value + "' " + why);
}

// A decimal integer in [low, high]; the whole value must be the number.
int parse_int(const char* name, const std::string& value, long low, long high) {
  long number = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, number);
  if (ec == std::errc::invalid_argument || ptr != end) invalid(name, value, "is not an integer");
  if (ec == std::errc::result_out_of_range || number < low || number > high) {
    const std::string range = high == std::numeric_limits<int>::max()
                                  ? "at least " + std::to_string(low)
                                  : "in " + std::to_string(low) + ".." + std::to_string(high);
    invalid(name, value, "is out of range (expected " + range + ")");
  }
  return static_cast<int>(number);
}

constexpr long kIntMax = std::numeric_limits<int>::max();

int int_or(const EnvLookup& lookup, const char* name, int fallback, long low, long high) {
  const auto value = value_of(lookup, name);
  return value ? parse_int(name, *value, low, high) : fallback;
}

std::string required(const EnvLookup& lookup, const char* name, const DistEnv& env) {
  const auto value = value_of(lookup, name);
  if (!value)
    throw InputError("environment variable " + std::string(name) + " is not set but WORLD_SIZE=" +
                     std::to_string(env.world_size) + " asks for a distributed run");
  return *value;
}

// A decimal integer in [low, limit), where limit is the value of another variable (`limit_text`).
int bounded(const char* name, const std::string& value, long low, long limit,
            const std::string& limit_text) {
  const int number = parse_int(name, value, low, kIntMax);
  if (number >= limit) invalid(name, value, "is not below " + limit_text);
  return number;
}

void read_rendezvous(const EnvLookup& lookup, DistEnv& env) {
  if (env.world_size > 1) {
    env.master_addr = required(lookup, "MASTER_ADDR", env);
    env.master_port = parse_int("MASTER_PORT", required(lookup, "MASTER_PORT", env), 1, 65535);
  } else {
    env.master_addr = value_of(lookup, "MASTER_ADDR").value_or("");
    env.master_port = int_or(lookup, "MASTER_PORT", 0, 1, 65535);
  }
  env.run_id = value_of(lookup, "TORCHELASTIC_RUN_ID").value_or("");
  env.restart_count = int_or(lookup, "TORCHELASTIC_RESTART_COUNT", 0, 0, kIntMax);
}

}  // namespace

std::optional<DistEnv> dist_env_from_environment(const EnvLookup& lookup) {
  const auto world_size = value_of(lookup, "WORLD_SIZE");
  if (!world_size) return std::nullopt;
  DistEnv env;
  env.world_size = parse_int("WORLD_SIZE", *world_size, 1, kIntMax);
  if (!value_of(lookup, "RANK") && env.world_size == 1) return std::nullopt;
  const std::string world = "WORLD_SIZE=" + std::to_string(env.world_size);
  env.rank = bounded("RANK", required(lookup, "RANK", env), 0, env.world_size, world);
  const auto local_world_size = value_of(lookup, "LOCAL_WORLD_SIZE");
  if (local_world_size) {
    env.local_world_size = parse_int("LOCAL_WORLD_SIZE", *local_world_size, 1, kIntMax);
    if (env.local_world_size > env.world_size)
      invalid("LOCAL_WORLD_SIZE", *local_world_size, "is larger than " + world);
    const std::string local = "LOCAL_WORLD_SIZE=" + std::to_string(env.local_world_size);
    const auto local_rank = value_of(lookup, "LOCAL_RANK");
    if (!local_rank) throw InputError("environment variable LOCAL_RANK is not set but " + local);
    env.local_rank = bounded("LOCAL_RANK", *local_rank, 0, env.local_world_size, local);
  } else {
    // One node holds every process.
    env.local_world_size = env.world_size;
    const auto local_rank = value_of(lookup, "LOCAL_RANK");
    env.local_rank =
        local_rank ? bounded("LOCAL_RANK", *local_rank, 0, env.world_size, world) : env.rank;
  }
  const auto group_rank = value_of(lookup, "GROUP_RANK");
  env.group_rank = group_rank ? bounded("GROUP_RANK", *group_rank, 0, env.world_size, world) : 0;
  read_rendezvous(lookup, env);
  return env;
}

std::optional<DistEnv> dist_env_from_environment() {
  return dist_env_from_environment([](const char* name) { return std::getenv(name); });
}

}  // namespace finsent::train
