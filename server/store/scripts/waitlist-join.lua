-- waitlist:join — a resident refused with sold_out waits in line for that item (issue 15).
-- KEYS and ARGV as the entry scripts (entry_ctx), the waitlist key last.
-- input: { dp, name, bld, phone?, item, qty, dh }
local ctx, input, chain = begin()
if not ctx then return input end
local now = now_ms()
-- The waitlist closes with the chain: at the cutoff, or when the grower closes it.
local closed = check_open(chain, now, false)
if closed then return fail(closed) end
if not serves(ctx, chain, input.dp) then return fail('unknown_drop_point', { dropPointId = input.dp }) end

local p4 = nil
if limits_by_phone(ctx) then
  p4 = phone4(input.phone)
  if not p4 then return fail('phone_required') end
end

local defs, unknown = item_defs(ctx, { { input.item, input.qty } }, nil)
if not defs then return fail('unknown_item', { itemId = unknown }) end
local def = defs[input.item]
if input.qty <= 0 or input.qty % def.step ~= 0 then
  return fail('bad_quantity', { itemId = def.id, step = def.step, qty = input.qty })
end
-- Only a request the stock can't meet now waits; otherwise join the chain.
local sold = num(call('HGET', ctx.totals, 'q:' .. def.id))
if not def.stock or sold + input.qty <= def.stock then
  local remaining = -1
  if def.stock then remaining = def.stock - sold end
  return fail('not_sold_out', { itemId = def.id, remaining = remaining })
end
-- A request the per-person limit would hold back for good is refused now.
if def.limit then
  local fields = { 'd:' .. input.dh }
  if p4 then fields[2] = 'p:' .. p4 end
  local books = { devices = ledger(ctx.devices, fields) }
  local already, by = held(books, 'd:' .. input.dh, def.id), 'device'
  if p4 then
    local by_phone = held(books, 'p:' .. p4, def.id)
    if by_phone > already then already, by = by_phone, 'phone' end
  end
  if already + input.qty > def.limit then
    return fail('limit_exceeded', { itemId = def.id, limit = def.limit, already = already, by = by })
  end
end
-- More than the whole stock could never be met: refused now, so it can't hold up the line.
if input.qty > def.stock then
  return fail('more_than_stock', { itemId = def.id, stock = def.stock })
end
-- One place in line per device and item.
local mine = call('HGET', ctx.wait, 'd:' .. input.dh .. ':' .. def.id)
if mine then return fail('already_waiting', { itemId = def.id, waiterId = tonumber(mine) }) end

-- The line is capped per item: every join and leave rewrites it and announces it whole.
local ids = queue_of(ctx, def.id)
if #ids >= input.max then return fail('waitlist_full', { itemId = def.id, max = input.max }) end

local id = call('HINCRBY', ctx.wait, 'seq', 1)
-- The first waiter makes the key: it expires with the rest of the chain (create-chain.lua).
if id == 1 then
  local expire_at = call('HGET', ctx.meta, 'expireAt')
  if expire_at then call('PEXPIREAT', ctx.wait, expire_at) end
end
save_waiter(ctx, {
  id = id, r = ctx.req_id, i = def.id, q = input.qty, dp = input.dp, n = input.name,
  b = input.bld, ph = input.phone, dh = input.dh, at = now, st = 'w',
})
ids[#ids + 1] = tostring(id)
save_queue(ctx, def.id, ids)
call('HSET', ctx.wait, 'd:' .. input.dh .. ':' .. def.id, id)
waitlist_event(ctx, chain, { def.id })
remember(ctx, '~' .. id)
return waiter_reply(ctx, tostring(id))
