-- entry:cancel — the entry keeps its number and shows as cancelled; its stock comes back.
-- input: { no, dh?, by? = {id, name} }
local ctx, input, chain = begin()
if not ctx then return input end
local now = now_ms()
local closed = check_open(chain, now, input.by ~= nil)
if closed then return fail(closed) end

local entry, refused_entry = active_entry(ctx, chain, input.no)
if not entry then return refused_entry end
if not input.by and (not input.dh or entry.dh ~= input.dh) then return fail('forbidden') end

local defs = item_defs(ctx, nil, entry.lines)
local books = open_books(ctx, chain, { entry }, nil)
contribute(ctx, books, chain, entry, -1)
entry.st, entry.up = 'cancelled', now
if input.by then entry.cby = { id = input.by.id, name = input.by.name, at = now } end
if now >= chain.cutoff then entry.late = true end

local d = deltas(entry.lines, nil)
local stock, _, freed = stock_of(books, defs, d)
close_books(books)
settle_status(ctx, chain, now, false, freed)
local packed = entry_event(ctx, chain, 'entry:cancelled', entry, stock, nil)
-- The freed units go to the waitlist, in order (events after this one).
promote(ctx, chain, now, freed_items(d))
return succeed(ctx, entry, packed)
