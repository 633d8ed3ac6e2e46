-- wrk driver for bench/api_bench.py: one endpoint per run.
--   wrk -t CONNECTIONS -c CONNECTIONS ... -s bench/wrk_api.lua <url> -- SPEC_FILE CONNECTIONS
-- SPEC_FILE lines: method, path, body kind, auth header name, auth value format (with %s for
-- the key), then one "KEY USER_ID" per line. One wrk thread per connection: each takes its own
-- slice of the keys and cycles through it, one request after the other, so no two
-- connections ever write for the same user and a user's n-th request carries its n-th body
-- (a new day or a later instant: every write is a valid one) after its (n-1)-th was answered.
-- Only 2xx responses count as done; the rest are counted (and the first few printed).

local threads = {}
local next_id = 0

function setup(thread)
   thread:set("id", next_id)
   next_id = next_id + 1
   table.insert(threads, thread)
end

local spec = {}
local keys = {}
local mine = {}
local counter = 0
ok = 0
bad = 0

local BASE = 946684800 -- 2000-01-01T00:00:00Z: writes go to days no test or seed uses

local function day(n)
   return os.date("!%Y-%m-%d", BASE + n * 86400)
end

local function instant(seconds)
   return os.date("!%Y-%m-%dT%H:%M:%S+00:00", BASE + seconds)
end

-- The body of a user's round-th request, per endpoint kind.
local bodies = {
   none = function(round) return nil end,
   moco_create = function(round)
      return string.format('{"date":"%s","from":"08:00","to":"09:30"}', day(round))
   end,
   moco_touch = function(round) return "{}" end,
   floor_touch = function(round, uid) return string.format('{"user":%s}', uid) end,
   prosonata_create = function(round, uid)
      return string.format(
         '{"userID":%s,"workingDate":"%s","dailyTimeStart":"08:18:00",' ..
         '"dailyTimeEnd":"16:48:00","dailyTimeTotal":7.75,"break1Start":"12:06:00",' ..
         '"break1End":"12:51:00","comments":"bench"}', uid, day(round))
   end,
   huddle_create = function(round)
      return string.format(
         '{"isActive":true,"startDate":"%s","endDate":"%s","message":"bench"}',
         instant(round * 86400), instant(round * 86400 + 3600))
   end,
   -- start, stop, start, stop…: one-minute entries a minute apart, never overlapping.
   mctime_clock = function(round)
      local action = (round % 2 == 0) and "start" or "stop"
      return string.format('{"action":"%s","dateTime":"%s"}', action, instant(round * 60))
   end,
}

function init(args)
   for line in io.lines(args[1]) do
      table.insert(spec, line)
   end
   for i = 6, #spec do
      local key, uid = string.match(spec[i], "^(%S+) (%S+)$")
      table.insert(keys, {key, uid})
   end
   -- This thread's slice of the keys (ids are 0-based, set in setup(); each thread has its
   -- own Lua state, so the thread count comes as an argument).
   local n = tonumber(args[2])
   local per = math.floor(#keys / n)
   if per < 1 then per = #keys end
   for i = 1, per do
      mine[i] = keys[((id * per) % #keys) + i]
   end
end

function request()
   local slot = counter % #mine
   local round = math.floor(counter / #mine)
   counter = counter + 1
   local headers = {}
   local user = mine[slot + 1]
   headers[spec[4]] = string.format(spec[5], user[1])
   local body = bodies[spec[3]](round, user[2])
   if body then
      headers["Content-Type"] = "application/json"
   end
   return wrk.format(spec[1], spec[2], headers, body)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   else
      bad = bad + 1
      if bad <= 3 then
         io.stderr:write(string.format("non-2xx %d: %s\n", status, string.sub(body, 1, 200)))
      end
   end
end

function done(summary, latency, requests)
   local good, failed = 0, 0
   for _, thread in ipairs(threads) do
      good = good + thread:get("ok")
      failed = failed + thread:get("bad")
   end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"ok": %d, "bad": %d, "socket_errors": %d, "duration_us": %d, ' ..
      '"p50_us": %d, "p99_us": %d}\n',
      good, failed, e.connect + e.read + e.write + e.timeout, summary.duration,
      latency:percentile(50), latency:percentile(99)))
end
