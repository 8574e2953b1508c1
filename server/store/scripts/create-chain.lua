-- Create a chain with its items, aggregates and indexes; every key expires after retention.
-- KEYS: the chain keys (entryScriptKeys), then communityChains growerChains dayChains
-- ARGV: dayPrefix channel input expireAtMs maxEvents dateScore oldestScore
-- input: { id, growerId, title, note, date, cutoff, dps = [id...], items = [{id,name,unit,price,step,stock?,limit?}...] }
local meta, items, totals, entries, devices, requests, events = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local day_prefix, channel, expire_at, max_events = ARGV[1], ARGV[2], ARGV[4], ARGV[5]
local input = cjson.decode(ARGV[3])
if redis.call('EXISTS', meta) == 1 then return fail('invalid_state', { message = 'chain exists' }) end
local now = now_ms()
if input.cutoff <= now then return fail('validation_failed', { message = 'cutoffAt: must be in the future' }) end

redis.call('HSET', meta,
  'id', input.id, 'growerId', input.growerId, 'title', input.title, 'note', input.note,
  'date', input.date, 'cutoff', input.cutoff, 'dps', ',' .. table.concat(input.dps, ',') .. ',',
  'status', 'open', 'seq', 0, 'version', 0, 'createdAt', now, 'expireAt', expire_at)
for _, item in ipairs(input.items) do
  redis.call('HSET', items, item.id, cjson.encode(item))
end
-- Sentinels keep each hash alive (and its TTL) even when it has no real fields.
redis.call('HSET', totals, 'n', 0, 'amt', 0)
redis.call('HSET', entries, '_', '')
redis.call('HSET', devices, '_', '')
redis.call('HSET', requests, '_', '')
local day_keys = { KEYS[11] }
redis.call('SADD', KEYS[11], input.id)
for _, dp in ipairs(input.dps) do
  local set, tot = day_prefix .. 'dp:' .. dp .. ':entries', day_prefix .. 'dp:' .. dp .. ':totals'
  redis.call('SADD', set, '_')
  redis.call('HSETNX', tot, 'n', 0)
  redis.call('HSETNX', tot, 'amt', 0)
  local codes = day_prefix .. 'dp:' .. dp .. ':codes'
  redis.call('HSETNX', codes, '_', '')
  day_keys[#day_keys + 1] = set
  day_keys[#day_keys + 1] = tot
  day_keys[#day_keys + 1] = codes
end
emit(meta, events, channel, max_events, { t = 'chain:created', c = input.id, d = input.date })
for _, key in ipairs({ meta, items, totals, entries, devices, requests, events }) do
  redis.call('PEXPIREAT', key, expire_at)
end
for _, key in ipairs(day_keys) do
  redis.call('PEXPIREAT', key, expire_at)
end
-- The chain indexes outlive single chains: drop members past retention.
for _, key in ipairs({ KEYS[9], KEYS[10] }) do
  redis.call('ZADD', key, ARGV[6], input.id)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[7])
end
return cjson.encode({ v = 1, createdAt = now })
