-- wrk script: POST the body in $AM_BENCH_BODY as JSON.
local f = assert(io.open(os.getenv("AM_BENCH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
