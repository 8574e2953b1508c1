-- Create a chain with its items, aggregates and indexes; every key expires after retention.
-- KEYS: the chain keys (entryScriptKeys), communityChains growerChains dayChains, then
--       dayDropPointKeys for each drop point of the chain (in input.dps order), then the channel
--       (the same name as ARGV[1], declared in KEYS for SPUBLISH)
-- ARGV: channel input expireAtMs maxEvents dateScore oldestScore payloadHash
-- input: { id, growerId, title, note, date, cutoff, dps = [id...], items = [{id,name,unit,price,step,stock?,limit?}...] }
-- The same chain id asked again with the same payload (a retried request) answers as the first.
local meta, items, totals, entries, devices, requests, events = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local channel, expire_at, max_events, payload_hash = ARGV[1], ARGV[3], ARGV[4], ARGV[7]
local input = cjson.decode(ARGV[2])
if call('EXISTS', meta) == 1 then
  local m = call('HMGET', meta, 'reqHash', 'createdAt')
  if payload_hash ~= '' and m[1] == payload_hash then
    -- Written again, unchanged: the caller's WAIT then covers the first write (lib.lua replay).
    call('HSET', requests, '_', '')
    return cjson.encode({ v = 1, createdAt = tonumber(m[2]) })
  end
  if payload_hash ~= '' then return fail('request_id_conflict') end
  return fail('invalid_state', { message = 'chain exists' })
end
local now = now_ms()
if input.cutoff <= now then return fail('validation_failed', { message = 'cutoffAt: must be in the future' }) end

call('HSET', meta,
  'id', input.id, 'growerId', input.growerId, 'title', input.title, 'note', input.note,
  'date', input.date, 'cutoff', input.cutoff, 'dps', ',' .. table.concat(input.dps, ',') .. ',',
  'status', 'open', 'seq', 0, 'version', 0, 'createdAt', now, 'expireAt', expire_at)
if payload_hash ~= '' then call('HSET', meta, 'reqHash', payload_hash) end
for _, item in ipairs(input.items) do
  call('HSET', items, item.id, cjson.encode(item))
end
-- Sentinels keep each hash alive (and its TTL) even when it has no real fields.
call('HSET', totals, 'n', 0, 'amt', 0)
call('HSET', entries, '_', '')
call('HSET', devices, '_', '')
call('HSET', requests, '_', '')
local day_level = { KEYS[12] }
call('SADD', KEYS[12], input.id)
for i = 1, #input.dps do
  local set, tot = KEYS[11 + 2 * i], KEYS[12 + 2 * i]
  call('SADD', set, '_')
  call('HSETNX', tot, 'n', 0)
  call('HSETNX', tot, 'amt', 0)
  day_level[#day_level + 1] = set
  day_level[#day_level + 1] = tot
end
emit(meta, events, channel, max_events, { t = 'chain:created', c = input.id, d = input.date })
for _, key in ipairs({ meta, items, totals, entries, devices, requests, events }) do
  call('PEXPIREAT', key, expire_at)
end
for _, key in ipairs(day_level) do
  call('PEXPIREAT', key, expire_at)
end
-- The chain indexes outlive single chains: drop members past retention.
for _, key in ipairs({ KEYS[10], KEYS[11] }) do
  call('ZADD', key, ARGV[5], input.id)
  call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[6])
end
return cjson.encode({ v = 1, createdAt = now })
