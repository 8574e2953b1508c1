-- entry:mark — at the drop point: collected, paid or no-show, set or undone. Stock is untouched
-- (a no-show keeps its entry and its stock; the record stays).
-- input: { no, mark = 'collected'|'paid'|'noShow', on = bool, by = {id, name} }
local ctx = entry_ctx()
local prev = replay(ctx)
if prev then return prev end
local input = cjson.decode(ARGV[5])

local chain = load_chain(ctx)
if not chain then return fail('not_found', { what = 'chain' }) end
if chain.status == 'cancelled' then return fail('chain_closed') end
local raw = redis.call('HGET', ctx.entries, input.no)
if not raw then return fail('not_found', { what = 'entry' }) end
local entry = cjson.decode(raw)
if entry.st ~= 'active' then return fail('entry_cancelled') end

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
redis.call('HSET', ctx.entries, entry.no, cjson.encode(entry))
local stock = stock_of(ctx, deltas(entry.lines, entry.lines))
local v = entry_event(ctx, chain, 'entry:updated', entry, stock, nil)
return succeed(ctx, entry, v)
