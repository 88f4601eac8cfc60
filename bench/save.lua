-- wrk script for the section save (POST) row.
-- Each thread is one editor saving their own jurisdiction's section over one connection, so
-- its requests go strictly one after another. Every save sends back the form as the page
-- rendered it, with two changes:
--   * the version field carries the version the last landed save left: +1 after a redirect
--     (a landed save), or the version shown when the page renders the form again;
--   * one answer changes, so every save really writes: a text answer gets " (save N)"
--     appended, or (without text) a choice alternates between two options.
-- args[1] is a Lua file returning {threads = {{path, cookie, body, version}, ...}}; the body
-- holds @VERSION@ and @N@ markers (bench/web.py: encode_with_markers).

local thread_count = 0
local threads = {}

function setup(thread)
  thread_count = thread_count + 1
  thread:set("id", thread_count)
  table.insert(threads, thread)
end

local me, version_name
local n = 0

function init(args)
  local cfg = dofile(args[1])
  me = cfg.threads[((id - 1) % #cfg.threads) + 1]
  version = me.version
  version_name = me.version_field
  redirects, ok, client_errors, server_errors = 0, 0, 0, 0
end

function request()
  n = n + 1
  local body = me.body:gsub("@VERSION@", tostring(version))
  body = body:gsub("@N@", tostring(n))
  -- "%" is special in a gsub replacement; URL-encoded values are full of it.
  body = body:gsub("@ALT@", (me.alt[(n % 2) + 1]:gsub("%%", "%%%%")))
  return wrk.format("POST", me.path, {
    ["Cookie"] = me.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

local function shown_version(body)
  if not version_name or not body then
    return nil
  end
  local name = version_name:gsub("%p", "%%%0")
  return body:match('name="' .. name .. '"[^>]-value="(%d+)"')
      or body:match('value="(%d+)"[^>]-name="' .. name .. '"')
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    redirects = redirects + 1
    version = version + 1
  elseif status < 300 then
    ok = ok + 1
    version = tonumber(shown_version(body) or version)
  elseif status < 500 then
    client_errors = client_errors + 1
  else
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local r, o, c, s = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("redirects")
    o = o + thread:get("ok")
    c = c + thread:get("client_errors")
    s = s + thread:get("server_errors")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "non_2xx_3xx": %d, "socket_errors": %d, "redirects": %d, ' ..
    '"ok_200": %d, "client_errors": %d, "server_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout, r, o, c, s))
end
