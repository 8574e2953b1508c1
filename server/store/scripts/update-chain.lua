-- The grower (or a coordinator) edits a chain or moves its status.
-- KEYS and ARGV as the entry scripts (entry_ctx), with the pickup-list keys of every drop point
-- of the chain (a cancelled chain's entries leave them all). A request id is optional.
-- input: { title?, note?, cutoff?, items? = [{id, price?, stock? (-1 removes the cap)}], status? = closed|cancelled|delivered }
local ctx, input, chain = begin()
if not ctx then return input end
local stored_status, stored_reason = chain.status, chain.closed_reason
local now = now_ms()
-- An open chain past its cutoff is closed, whether or not the sweep has marked it yet.
if chain.status == 'open' and now >= chain.cutoff then chain.status, chain.closed_reason = 'closed', 'cutoff' end
local status, reason = chain.status, chain.closed_reason
local editable = (status == 'open') or (status == 'closed' and reason == 'sold_out' and now < chain.cutoff)

local edits = input.title or input.note or input.cutoff or input.items
if edits and not editable then return fail('chain_closed', { editing = true }) end
if input.cutoff and input.cutoff <= now then
  return fail('validation_failed', { message = 'cutoffAt: must be in the future' })
end

-- A cancel takes every active entry off its pickup list: all their keys must have arrived.
local active = {}
if input.status == 'cancelled' and status ~= 'cancelled' then
  local all = call('HGETALL', ctx.entries)
  for j = 1, #all, 2 do
    if all[j] ~= '_' then
      local entry = unpack_entry(all[j + 1])
      if entry.st == 'active' then
        local wrong_day = declared_day(ctx, chain, entry.dp)
        if wrong_day then return wrong_day end
        active[#active + 1] = entry
      end
    end
  end
end

if input.items then
  -- Check every item first, so a refused edit changes nothing.
  local defs = {}
  for i, patch in ipairs(input.items) do
    local raw = call('HGET', ctx.items, patch.id)
    if not raw then return fail('unknown_item', { itemId = patch.id }) end
    local def = cjson.decode(raw)
    if patch.stock and patch.stock >= 0 then
      if patch.stock % def.step ~= 0 then
        return fail('bad_quantity', { itemId = def.id, step = def.step, qty = patch.stock })
      end
      local sold = num(call('HGET', ctx.totals, 'q:' .. def.id))
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
    call('HSET', ctx.items, def.id, cjson.encode(def))
  end
end
if input.title then call('HSET', ctx.meta, 'title', input.title) end
if input.note then call('HSET', ctx.meta, 'note', input.note) end
if input.cutoff then call('HSET', ctx.meta, 'cutoff', input.cutoff) end

if input.status then
  local allowed = {
    closed = { open = true },
    cancelled = { open = true, closed = true },
    delivered = { closed = true },
  }
  if not allowed[input.status][status] then
    return fail('invalid_state', { from = status, to = input.status })
  end
  status = input.status
  reason = (input.status == 'closed') and 'grower' or nil
elseif input.items then
  local empty = nothing_left(ctx)
  if status == 'open' and empty then status, reason = 'closed', 'sold_out' end
  if status == 'closed' and reason == 'sold_out' and not empty then status, reason = 'open', nil end
end
if status ~= stored_status or reason ~= stored_reason then
  call('HSET', ctx.meta, 'status', status)
  if reason then call('HSET', ctx.meta, 'closedReason', reason) else call('HDEL', ctx.meta, 'closedReason') end
end
chain.status, chain.closed_reason = status, reason

-- A cancelled chain delivers nothing: its entries leave every list, keeping their numbers.
if #active > 0 and status == 'cancelled' then
  local lines = {}
  for _, entry in ipairs(active) do
    for _, l in ipairs(entry.lines) do lines[#lines + 1] = l end
  end
  local defs = item_defs(ctx, nil, lines)
  local books = open_books(ctx, chain, active, nil)
  local events = {}
  for _, entry in ipairs(active) do
    contribute(ctx, books, chain, entry, -1)
    entry.st, entry.up = 'cancelled', now
    events[#events + 1] = { entry, stock_of(books, defs, deltas(entry.lines, nil)) }
  end
  close_books(books)
  for _, e in ipairs(events) do entry_event(ctx, chain, 'entry:cancelled', e[1], e[2], nil) end
end
-- Stock the grower raised (or uncapped) goes to the waitlist first, in order.
if input.items then
  local raised = {}
  for _, patch in ipairs(input.items) do if patch.stock then raised[#raised + 1] = patch.id end end
  table.sort(raised)
  promote(ctx, chain, now, raised)
  status = chain.status
end
-- Every pickup list of the chain shows its title and status: a new version of each (caching).
for _, day in pairs(ctx.days) do call('HINCRBY', day.totals, 'v', 1) end

local v = chain_event(ctx, chain, { t = 'chain:updated', c = chain.id, d = chain.date })
local result = cjson.encode({ v = v, status = status })
remember(ctx, result)
return result
