-- entry:update — change an entry's lines, drop point, name, building or phone.
-- input: { no, dp?, name?, bld?, phone? (false removes it), lines?, dh?, by? = {id, name} }
local ctx, input, chain = begin()
if not ctx then return input end
local now = now_ms()
local staff = input.by ~= nil
local closed = check_open(chain, now, staff)
if closed then return fail(closed) end

local entry, refused_entry = active_entry(ctx, chain, input.no)
if not entry then return refused_entry end
if not staff and (not input.dh or entry.dh ~= input.dh) then return fail('forbidden') end
local moving = input.dp and input.dp ~= entry.dp
if moving then
  if not serves(ctx, chain, input.dp) then return fail('unknown_drop_point', { dropPointId = input.dp }) end
  local wrong_day = declared_day(ctx, chain, input.dp)
  if wrong_day then return wrong_day end
end

local phone = entry.phone
if input.phone == false then phone = nil elseif input.phone then phone = input.phone end
local p4 = nil
if not staff and limits_by_phone(ctx) then
  p4 = phone4(phone)
  if not p4 then return fail('phone_required') end
end

local defs, unknown = item_defs(ctx, input.lines, entry.lines)
if not defs then return fail('unknown_item', { itemId = unknown }) end
local new_lines, new_total = entry.lines, entry.amt
if input.lines then
  local old_prices = {}
  for _, l in ipairs(entry.lines) do old_prices[l.i] = l.p end
  local lines, total_or_err = price_lines(defs, input.lines, old_prices)
  if not lines then return total_or_err end
  -- A line whose item and quantity stay the same keeps its recorded weight.
  local before = {}
  for _, l in ipairs(entry.lines) do before[l.i] = l end
  for _, l in ipairs(lines) do
    local old = before[l.i]
    if old and old.w and old.q == l.q then
      l.w = old.w
      total_or_err = total_or_err - l.a
      l.a = line_amount(l.p, l.w)
      total_or_err = total_or_err + l.a
    end
  end
  new_lines, new_total = lines, total_or_err
end
-- The entry as it will be, beside the entry as it is: the books hold both contributions.
local after = {}
for k, v in pairs(entry) do after[k] = v end
after.dp = input.dp or entry.dp
after.name = input.name or entry.name
after.bld = input.bld or entry.bld
after.phone = phone
after.lines, after.amt, after.up = new_lines, new_total, now
local books = open_books(ctx, chain, { entry, after }, nil)
local d = deltas(entry.lines, new_lines)
local refused = check_stock_and_limits(ctx, books, defs, d, new_lines, entry.dh, p4)
if refused then return refused end
local code, take_code = entry.code, nil
if moving then
  -- A new point hands out its own codes.
  code, take_code = next_code(books, input.dp, ctx.code_seed)
  if not code then return fail('codes_exhausted', { dropPointId = input.dp }) end
end

-- Every check has passed: from here on, write.
if take_code then take_code() end
contribute(ctx, books, chain, entry, -1)
local prev_dp = entry.dp
entry = after
entry.code = code
if staff then entry.cby = { id = input.by.id, name = input.by.name, at = now } end
if now >= chain.cutoff then entry.late = true end
contribute(ctx, books, chain, entry, 1)

local stock, sold_out_now, freed = stock_of(books, defs, d)
close_books(books)
settle_status(ctx, chain, now, sold_out_now, freed)
local moved = nil
if prev_dp ~= entry.dp then moved = prev_dp end
local packed = entry_event(ctx, chain, 'entry:updated', entry, stock, moved)
-- Units a smaller order freed go to the waitlist, in order (events after this one).
promote(ctx, chain, now, freed_items(d))
return succeed(ctx, entry, packed)
