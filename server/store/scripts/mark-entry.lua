-- entry:mark — at the drop point: collected, paid or no-show, set or undone. Stock is untouched
-- (a no-show keeps its entry and its stock; the record stays).
-- input: { no, mark = 'collected'|'paid'|'noShow', on = bool, by = {id, name} }
local ctx, input, chain = begin()
if not ctx then return input end
if chain.status == 'cancelled' then return fail('chain_closed') end
local entry, refused_entry = active_entry(ctx, chain, input.no)
if not entry then return refused_entry end

local now = now_ms()
local field = ({ collected = 'c', paid = 'p', noShow = 'ns' })[input.mark]
if not field then return fail('validation_failed', { message = 'unknown mark' }) end
local chk = entry.chk or {}
if input.on then
  chk[field] = { id = input.by.id, name = input.by.name, at = now }
  -- Collected and no-show exclude each other.
  if field == 'c' then chk.ns = nil elseif field == 'ns' then chk.c = nil end
else
  chk[field] = nil
end
entry.chk = chk
entry.up = now
-- The pickup list changed: a new version of it (for caching), and the chain's stock as it is.
call('HINCRBY', ctx.days[entry.dp].totals, 'v', 1)
local defs = item_defs(ctx, nil, entry.lines)
local books = open_books(ctx, chain, { entry }, nil)
local stock = stock_of(books, defs, deltas(entry.lines, entry.lines))
local packed = entry_event(ctx, chain, 'entry:updated', entry, stock, nil)
return succeed(ctx, entry, packed)
