-- wrk script: POST the execute-gate request (bench/execute-request.json, or $GATEHOUSE_BENCH_BODY) as JSON.
-- With $GATEHOUSE_BENCH_TARGETS ("127.0.0.1:8181 127.0.0.1:8182"), wrk's threads are spread over those
-- servers in turn (thread 1 to the first, thread 2 to the second, ...): two replicas behind one wrk.
local path = os.getenv("GATEHOUSE_BENCH_BODY") or "bench/execute-request.json"
local file = assert(io.open(path, "rb"), "cannot open " .. path)
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()

local targets = {}
for target in (os.getenv("GATEHOUSE_BENCH_TARGETS") or ""):gmatch("%S+") do
  table.insert(targets, target)
end
local threads = 0

function setup(thread)
  if #targets > 0 then
    local host, port = targets[(threads % #targets) + 1]:match("^(.+):(%d+)$")
    thread.addr = wrk.lookup(host, port)[1]
    threads = threads + 1
  end
end
