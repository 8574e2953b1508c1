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

local defs, unknown = item_defs(ctx, input.lines, nil)
if not defs then return fail('unknown_item', { itemId = unknown }) end
local lines, total_or_err = price_lines(defs, input.lines, nil)
if not lines then return total_or_err end
local d = deltas(nil, lines)
local early = early_refusal(ctx, defs, d, input.dh)
if early then return early end
-- The entry as it will be (its number and code come last, once everything is checked).
local entry = {
  name = input.name, bld = input.bld, phone = input.phone, dp = input.dp,
  lines = lines, amt = total_or_err, st = 'active', dh = input.dh, at = now, up = now,
}
local books = open_books(ctx, chain, { entry }, nil)
if input.dh and ctx.device_cap > 0 and device_entries(books, input.dh) >= ctx.device_cap then
  return fail('too_many_entries', { max = ctx.device_cap })
end
local refused = check_stock_and_limits(ctx, books, defs, d, lines, input.dh, p4)
if refused then return refused end
local code, take_code = next_code(books, input.dp, ctx.code_seed)
if not code then return fail('codes_exhausted', { dropPointId = input.dp }) end

-- Every check has passed: from here on, write.
take_code()
chain.seq = chain.seq + 1
entry.no = chain.seq
entry.code = code
if staff then entry.by = { id = input.by.id, name = input.by.name, at = now } end
-- Only staff can write after the cutoff; the sheets mark such entries late.
if now >= chain.cutoff then entry.late = true end
if input.src == 'import' then entry.src = 'import' end

contribute(ctx, books, chain, entry, 1)
remember_device_entry(books, entry)
local stock, sold_out_now = stock_of(books, defs, d)
close_books(books)
settle_status(ctx, chain, now, sold_out_now, false)
local packed = entry_event(ctx, chain, 'entry:created', entry, stock, nil)
return succeed(ctx, entry, packed)
