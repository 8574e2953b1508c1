-- The grower (or a coordinator) edits a chain or moves its status.
-- KEYS: meta items totals events
-- ARGV: channel input maxEvents
-- input: { title?, note?, cutoff?, items? = [{id, price?, stock? (-1 removes the cap)}], status? = closed|cancelled|delivered }
local meta, items, totals, events = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channel, max_events = ARGV[1], ARGV[3]
local input = cjson.decode(ARGV[2])
local m = redis.call('HMGET', meta, 'id', 'status', 'cutoff', 'closedReason', 'date')
if not m[1] then return fail('not_found') end
local status, cutoff, reason = m[2], tonumber(m[3]), m[4]
local now = now_ms()
-- An open chain past its cutoff is closed, whether or not the sweep has marked it yet.
if status == 'open' and now >= cutoff then status, reason = 'closed', 'cutoff' end
local editable = (status == 'open') or (status == 'closed' and reason == 'sold_out' and now < cutoff)

local edits = input.title or input.note or input.cutoff or input.items
if edits and not editable then return fail('chain_closed') end
if input.cutoff and input.cutoff <= now then
  return fail('validation_failed', { message = 'cutoff must be in the future' })
end

local ctx = { items = items, totals = totals }
if input.items then
  -- Check every item first, so a refused edit changes nothing.
  local defs = {}
  for i, patch in ipairs(input.items) do
    local raw = redis.call('HGET', items, patch.id)
    if not raw then return fail('unknown_item', { itemId = patch.id }) end
    local def = cjson.decode(raw)
    if patch.stock and patch.stock >= 0 then
      if patch.stock % def.step ~= 0 then
        return fail('bad_quantity', { itemId = def.id, step = def.step, qty = patch.stock })
      end
      local sold = num(redis.call('HGET', totals, 'q:' .. def.id))
      if patch.stock < sold then
        return fail('stock_below_sold', { itemId = def.id, sold = sold })
      end
    end
    defs[i] = def
  end
  for i, patch in ipairs(input.items) do
    local def = defs[i]
    if patch.price then def.price = patch.price end
    if patch.stock then
      if patch.stock < 0 then def.stock = nil else def.stock = patch.stock end
    end
    redis.call('HSET', items, def.id, cjson.encode(def))
  end
end
if input.title then redis.call('HSET', meta, 'title', input.title) end
if input.note then redis.call('HSET', meta, 'note', input.note) end
if input.cutoff then redis.call('HSET', meta, 'cutoff', input.cutoff) end

local next_status, next_reason = status, reason
if input.status then
  local allowed = {
    closed = { open = true },
    cancelled = { open = true, closed = true },
    delivered = { closed = true },
  }
  if not allowed[input.status][status] then
    return fail('invalid_state', { from = status, to = input.status })
  end
  next_status = input.status
  next_reason = (input.status == 'closed') and 'grower' or nil
elseif input.items then
  local empty = nothing_left(ctx)
  if status == 'open' and empty then next_status, next_reason = 'closed', 'sold_out' end
  if status == 'closed' and reason == 'sold_out' and not empty then next_status, next_reason = 'open', nil end
end
if next_status ~= m[2] or next_reason ~= m[4] then
  redis.call('HSET', meta, 'status', next_status)
  if next_reason then redis.call('HSET', meta, 'closedReason', next_reason) else redis.call('HDEL', meta, 'closedReason') end
end
local v = emit(meta, events, channel, max_events, { t = 'chain:updated', c = m[1], d = m[5] })
return cjson.encode({ v = v, status = next_status })
