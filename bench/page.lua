-- wrk script for the GET rows: one fixed request per thread, signed in with a cookie.
-- args[1] is a Lua file returning {path = ..., cookie = ...} (written by bench/run.py).

local request_text

function init(args)
  local cfg = dofile(args[1])
  local headers = {}
  if cfg.cookie ~= "" then
    headers["Cookie"] = cfg.cookie
  end
  request_text = wrk.format("GET", cfg.path, headers)
end

function request()
  return request_text
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "non_2xx_3xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
