-- wrk script: rotate through the requests of a file, one per line:
--   METHOD <tab> PATH <tab> ACCEPT <tab> BODY (url-encoded form, empty for GET)
-- and print the summary as one line of JSON.
--   wrk -s bench/mix.lua http://127.0.0.1:PORT -- requests.tsv

local threads = {}
local prepared = {}
local next_index = 1

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local method, path, accept, body = line:match("^(%S+)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = { Accept = accept }
    if body == "" then
      body = nil
    else
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    end
    prepared[#prepared + 1] = wrk.format(method, path, headers, body)
  end
  -- threads start at different places so the mix is spread over the run from the first second
  next_index = (thread_number * 7919) % #prepared + 1
end

function request()
  local r = prepared[next_index]
  next_index = next_index % #prepared + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
