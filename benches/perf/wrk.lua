-- benches/perf.sh: requests cycle through the paths in PERF_PATHS; every non-2xx is counted.
local paths = {}
for line in io.lines(os.getenv("PERF_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
local i = 0
bad = 0
function init(args) i = math.random(#paths) end
-- PERF_ACCEPT_ENCODING, when set and not empty, is sent with every request.
local encoding = os.getenv("PERF_ACCEPT_ENCODING")
local headers = {}
if encoding and encoding ~= "" then headers["Accept-Encoding"] = encoding end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
