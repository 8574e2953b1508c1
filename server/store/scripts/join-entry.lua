-- entry:join — one new line of the chain.
-- input: { dp, name, bld, phone?, lines = [[itemId, qtyMilli]...], dh?, by? = {id, name}, src? }
local ctx, input, chain = begin()
if not ctx then return input end
local now = now_ms()
local staff = input.by ~= nil
local closed = check_open(chain, now, staff)
if closed then return fail(closed) end
if not serves(ctx, chain, input.dp) then return fail('unknown_drop_point', { dropPointId = input.dp }) end
local wrong_day = declared_day(ctx, chain, input.dp)
if wrong_day then return wrong_day end

local p4 = nil
if not staff and limits_by_phone(ctx) then
  p4 = phone4(input.phone)
  if not p4 then return fail('phone_required') end
end
if input.dh and ctx.device_cap > 0 and num(call('HGET', ctx.devices, 'n:' .. input.dh)) >= ctx.device_cap then
  return fail('too_many_entries', { max = ctx.device_cap })
end

local lines, total_or_err = price_lines(ctx, input.lines, nil)
if not lines then return total_or_err end
local d = deltas(nil, lines)
local refused = check_stock_and_limits(ctx, d, lines, input.dh, p4)
if refused then return refused end
local code, take_code = next_code(ctx, input.dp)
if not code then return fail('codes_exhausted', { dropPointId = input.dp }) end

-- Every check has passed: from here on, write.
take_code()
local entry = {
  no = call('HINCRBY', ctx.meta, 'seq', 1),
  name = input.name, bld = input.bld, phone = input.phone, dp = input.dp,
  lines = lines, amt = total_or_err, st = 'active', code = code, dh = input.dh,
  at = now, up = now,
}
if staff then entry.by = { id = input.by.id, name = input.by.name, at = now } end
-- Only staff can write after the cutoff; the sheets mark such entries late.
if now >= chain.cutoff then entry.late = true end
if input.src == 'import' then entry.src = 'import' end

contribute(ctx, chain, entry, 1)
if entry.dh then
  -- The device's entry numbers, so a snapshot can show its own entries however old.
  local own = call('HGET', ctx.devices, 'e:' .. entry.dh)
  call('HSET', ctx.devices, 'e:' .. entry.dh, own and (own .. ',' .. entry.no) or tostring(entry.no))
end
local stock, sold_out_now = stock_of(ctx, d)
settle_status(ctx, chain, now, sold_out_now, false)
local v = entry_event(ctx, chain, 'entry:created', entry, stock, nil)
return succeed(ctx, entry, v)
