-- wrk script for tests/bench/api.sh: POST /pull for a distinct path each time, so that every
-- request queues a new task (no deduplication). api.sh sets the repo root in the environment:
--   BENCH_REPO        the repo root (required)
--   PULL_DELAY_MS     pause of each connection before each request (0 = closed loop, as fast as
--                     the server answers); with C connections the offered load is about
--                     C * 1000 / (PULL_DELAY_MS + latency) requests per second
--   BENCH_GET         instead of POST /pull, GET this path (a control: a request that does no
--                     work, timed under the same load)
-- At the end it prints one line for api.sh:
--   LATENCY requests p50 p90 p99 p99.9 max   (milliseconds)
local get = os.getenv("BENCH_GET")
if get == "" then
    get = nil
end
local repo = os.getenv("BENCH_REPO") or get or error("BENCH_REPO is not set")
local pause = tonumber(os.getenv("PULL_DELAY_MS") or "0")
local counter = 0
local thread_tag = 0

function setup(thread)
    thread_tag = thread_tag + 1
    thread:set("tag", thread_tag)
end

function init(args)
    math.randomseed(os.time() + (tag or 0) * 7919)
end

function request()
    if get then
        return wrk.format("GET", get)
    end
    counter = counter + 1
    local body = string.format('{"path": "%s/d%d/t%d-f%d.dat"}', repo, math.random(1, 1000000000),
                               tag or 0, counter)
    return wrk.format("POST", "/pull", {["Content-Type"] = "application/json"}, body)
end

if pause > 0 then
    function delay()
        return pause
    end
end

function done(summary, latency, requests)
    local ms = function(us) return us / 1000.0 end
    io.write(string.format("LATENCY %d %.3f %.3f %.3f %.3f %.3f\n", summary.requests,
        ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
        ms(latency:percentile(99.9)), ms(latency.max)))
end
