-- The cutoff sweep: close an open chain whose cutoff has passed by Redis time.
-- KEYS: meta events channel   ARGV: channel maxEvents (the channel is declared in KEYS too)
-- Returns { closed = bool, cutoff = ms } or { gone = true }.
local m = call('HMGET', KEYS[1], 'id', 'status', 'cutoff', 'date')
if not m[1] then return cjson.encode({ gone = true }) end
local cutoff = tonumber(m[3])
if m[2] ~= 'open' then return cjson.encode({ closed = false, done = true, cutoff = cutoff }) end
if now_ms() < cutoff then return cjson.encode({ closed = false, cutoff = cutoff }) end
call('HSET', KEYS[1], 'status', 'closed', 'closedReason', 'cutoff')
emit(KEYS[1], KEYS[2], ARGV[1], ARGV[2], { t = 'chain:updated', c = m[1], d = m[4] })
return cjson.encode({ closed = true, cutoff = cutoff })
