-- bench/replay.lua: wrk replays pre-generated requests, one file per wrk thread.
--
--   wrk -t T -c C -d D -s bench/replay.lua http://127.0.0.1:PORT -- /tmp/.../answer-
--
-- Thread k (1-based) reads "<prefix><k>.txt". Each line is tab-separated:
--   METHOD  PATH  TOKEN  X-FORWARDED-FOR  BODY
-- (TOKEN, X-FORWARDED-FOR and BODY may be empty). bench/run.py writes the files so that threads
-- never share an attempt. Requests are formatted once in init(); request() just hands the next
-- one out and wraps around at the end of the file ("wraps" counts that: for answer submission a
-- wrap means the pool of unanswered slots ran out and later answers are repeats).
-- done() prints one line "BENCH_RESULT {json}" that bench/run.py parses.

local threads = {}
local count = 0

function setup(thread)
   count = count + 1
   thread:set("tid", count)
   table.insert(threads, thread)
end

-- Globals, so that done() can read them from each thread with thread:get().
ok2xx = 0
non2xx = 0
wraps = 0
codes = {}
samples = {}  -- the first few non-2xx bodies, to tell e.g. a 409 already_answered from step_locked

local reqs = {}
local n = 0
local i = 0
-- wrk calls request() once on thread 1's state right after init() to check the script (wrk.c,
-- script_verify_request) and throws the result away: hand it line 1 without using the line up,
-- or the first answer slot would be skipped and a later scenario step would find it unanswered.
local verifying = false

function init(args)
   local prefix = args[1]
   local f = assert(io.open(prefix .. tid .. ".txt", "r"))
   for line in f:lines() do
      local method, path, token, xff, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]*)\t([^\t]*)\t?(.*)$")
      if method then
         local headers = {}
         if token ~= "" then headers["Authorization"] = "Bearer " .. token end
         if xff ~= "" then headers["X-Forwarded-For"] = xff end
         if body ~= "" then
            headers["Content-Type"] = "application/json"
         else
            body = nil
         end
         n = n + 1
         reqs[n] = wrk.format(method, path, headers, body)
      end
   end
   f:close()
   assert(n > 0, "no requests in " .. prefix .. tid .. ".txt")
   verifying = (tid == 1)
end

function request()
   if verifying then
      verifying = false
      return reqs[1]
   end
   i = i + 1
   if i > n then
      i = 1
      wraps = wraps + 1
   end
   return reqs[i]
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok2xx = ok2xx + 1
   else
      non2xx = non2xx + 1
      local key = tostring(status)
      codes[key] = (codes[key] or 0) + 1
      if #samples < 5 then samples[#samples + 1] = key .. " " .. string.sub(body or "", 1, 160) end
   end
end

function done(summary, latency, requests)
   local ok, bad, wr = 0, 0, 0
   local agg = {}
   for _, t in ipairs(threads) do
      ok = ok + t:get("ok2xx")
      bad = bad + t:get("non2xx")
      wr = wr + t:get("wraps")
      local c = t:get("codes")
      for k, v in pairs(c) do agg[k] = (agg[k] or 0) + v end
   end
   local parts = {}
   for k, v in pairs(agg) do parts[#parts + 1] = string.format('"%s":%d', k, v) end
   local shown = {}
   for _, t in ipairs(threads) do
      for _, s in ipairs(t:get("samples")) do
         if #shown < 5 then
            shown[#shown + 1] = '"' .. s:gsub('[%c"\\]', function(ch) return string.format("\\u%04x", ch:byte()) end) .. '"'
         end
      end
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"ok2xx":%d,"non2xx":%d,"wraps":%d,"codes":{%s},"samples":[%s],' ..
      '"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,' ..
      '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
      summary.requests, summary.duration, ok, bad, wr, table.concat(parts, ","), table.concat(shown, ","),
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max,
      e.connect, e.read, e.write, e.status, e.timeout))
end
