-- Device registrations from outside the process: each request registers a
-- new device with a serial of its own (durable and hash-chained, as the
-- benchmark's registrations phase), so that the in-process figure can be
-- cross-checked with an external load generator (docs/BENCHMARKS.md).
--
--   RETRACE_TOKEN=<an API token> RETRACE_SITE=<a site's id> \
--     wrk -t2 -c64 -d4s -s scripts/bench/wrk-registrations.lua http://127.0.0.1:8080
--
-- wrk counts every answer; those that are not 201 are reported as
-- "Non-2xx or 3xx responses" and must be none.

local token = assert(os.getenv("RETRACE_TOKEN"), "RETRACE_TOKEN: an API token")
local site = assert(os.getenv("RETRACE_SITE"), "RETRACE_SITE: a site's id")
-- A run's serials must not meet an earlier run's on the same instance.
local run = os.time()
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

local sent = 0

function request()
  sent = sent + 1
  local body = string.format(
    '{"site_id":"%s","kind":"laptop","serial_number":"WRK-%d-%d-%d"}',
    site, run, number, sent)
  return wrk.format("POST", "/api/v1/devices", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
