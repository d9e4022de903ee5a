-- Device transitions from outside the process: each request reserves or
-- releases a device on the shelf (durable and hash-chained, as the
-- benchmark's transitions phase), so that the in-process figure can be
-- cross-checked with an external load generator (docs/BENCHMARKS.md).
--
--   scripts/bench/ready-devices.sh http://127.0.0.1:8080 1024 > devices.txt
--   RETRACE_TOKEN=<an API token> RETRACE_DEVICES=devices.txt WRK_THREADS=2 \
--     wrk -t2 -c64 -d4s -s scripts/bench/wrk-transitions.lua http://127.0.0.1:8080
--
-- Each thread takes its own share of the devices (ready-devices.sh gives
-- their ids and versions) and visits them in turn: a reserve, then at its
-- next visit a release, each at the version the previous one left. With
-- many more devices than connections, a device's last transition has long
-- been answered when it comes round again. wrk counts every answer; those that are not 201 are
-- reported as "Non-2xx or 3xx responses" and must be none.

local token = assert(os.getenv("RETRACE_TOKEN"), "RETRACE_TOKEN: an API token")
local file = assert(os.getenv("RETRACE_DEVICES"), "RETRACE_DEVICES: a file of device ids")
-- wrk's -t: the threads that share the devices.
local stride = tonumber(os.getenv("WRK_THREADS") or "2")
local threads = 0

function setup(thread)
  threads = threads + 1
  assert(threads <= stride, "more wrk threads than WRK_THREADS")
  thread:set("number", threads)
end

-- This thread's devices: their ids, and the version each is at.
local devices, versions, next_device = {}, {}, 0
-- wrk builds the first thread's first request once to check it, and never
-- sends it: a transition there would leave its device's version behind
-- here. So each thread's first request reads its first device instead.
local first = true

function init()
  local index = 0
  for line in io.lines(file) do
    local id, version = line:match("^(%S+) (%d+)$")
    if id then
      -- Thread n takes every line whose index is n modulo the threads.
      index = index + 1
      if index % stride == number % stride then
        devices[#devices + 1] = id
        versions[id] = tonumber(version)
      end
    end
  end
  assert(#devices > 0, "no device for this thread")
end

function request()
  if first then
    first = false
    return wrk.format("GET", "/api/v1/devices/" .. devices[1], {
      ["Authorization"] = "Bearer " .. token,
    })
  end
  next_device = next_device % #devices + 1
  local id = devices[next_device]
  local version = versions[id]
  versions[id] = version + 1
  -- On the shelf at an even version: reserved, then released (as the bench).
  local action = (version % 2 == 0) and "reserve" or "release"
  return wrk.format("POST", "/api/v1/devices/" .. id .. "/events", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, string.format('{"action":"%s","expected_version":%d}', action, version))
end
