-- wrk script: POST the execute-gate request (bench/execute-request.json, or $GATEHOUSE_BENCH_BODY) as JSON.
local path = os.getenv("GATEHOUSE_BENCH_BODY") or "bench/execute-request.json"
local file = assert(io.open(path, "rb"), "cannot open " .. path)
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
