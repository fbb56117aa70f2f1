-- wrk script for benches/load.sh: every request picks a random path from paths.txt (pages,
-- tag pages, searches, hostile queries) and every 5xx is counted, per thread, then summed.
local paths = {}
for line in io.lines(os.getenv("PYKB_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local counter = 0
server_errors = 0
client_errors = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  end
end

function done(summary, latency, requests)
  local fives, fours = 0, 0
  for _, thread in ipairs(threads) do
    fives = fives + thread:get("server_errors")
    fours = fours + thread:get("client_errors")
  end
  io.write(string.format("RESULT requests=%d duration_s=%.1f rps=%.0f p50_ms=%.2f p99_ms=%.2f connect_errors=%d read_errors=%d write_errors=%d timeouts=%d status_5xx=%d status_4xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    fives, fours))
end
