-- entry:weigh — the actual weight of weighed lines (at packing or hand-out). The amount due then
-- follows the actual weight with the one rounding rule (line_amount), and every amount total
-- moves with it. Quantities ordered, stock and limits are untouched.
-- input: { no, lines = [[itemId, actualMilli or -1 to clear]...], by = {id, name} }
local ctx, input, chain = begin()
if not ctx then return input end
if chain.status == 'cancelled' then return fail('chain_closed') end
local entry, refused_entry = active_entry(ctx, chain, input.no)
if not entry then return refused_entry end

local by_item = {}
for _, l in ipairs(entry.lines) do by_item[l.i] = l end
for _, w in ipairs(input.lines) do
  if not by_item[w[1]] then return fail('unknown_item', { itemId = w[1], where = 'entry' }) end
end

local now = now_ms()
local defs = item_defs(ctx, nil, entry.lines)
local books = open_books(ctx, chain, { entry }, nil)
local day = books.days[entry.dp]
local change = 0
for _, w in ipairs(input.lines) do
  local l = by_item[w[1]]
  if w[2] < 0 then l.w = nil else l.w = w[2] end
  local amount = line_amount(l.p, l.w or l.q)
  local d = amount - l.a
  if d ~= 0 then
    ladd(books.totals, 'a:' .. l.i, d)
    ladd(day, 'a:' .. chain.id .. ':' .. l.i, d)
    change = change + d
  end
  l.a = amount
end
ladd(books.totals, 'amt', change)
ladd(day, 'amt', change)
ladd(day, 'amt:' .. chain.id, change)
ladd(day, 'v', 1)
entry.amt = entry.amt + change
entry.wby = { id = input.by.id, name = input.by.name, at = now }
entry.up = now
local stock = stock_of(books, defs, deltas(entry.lines, entry.lines))
close_books(books)
local packed = entry_event(ctx, chain, 'entry:updated', entry, stock, nil)
return succeed(ctx, entry, packed)
