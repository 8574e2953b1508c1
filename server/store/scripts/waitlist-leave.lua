-- waitlist:leave — a resident gives up their place in line. Leaving twice, or after the request
-- became an entry, changes nothing and answers with the waiter as it is.
-- KEYS and ARGV as the entry scripts (entry_ctx), the waitlist key last.
-- input: { id, dh }
local ctx, input, chain = begin()
if not ctx then return input end
if chain.status == 'cancelled' or chain.status == 'delivered' then return fail('chain_closed') end
local w = load_waiter(ctx, tostring(input.id))
if not w then return fail('not_found', { what = 'waiter' }) end
if w.dh ~= input.dh then return fail('forbidden', { what = 'waiter' }) end
if w.st == 'w' then
  local keep = {}
  for _, id in ipairs(queue_of(ctx, w.i)) do
    if id ~= tostring(w.id) then keep[#keep + 1] = id end
  end
  save_queue(ctx, w.i, keep)
  w.st, w.up = 'l', now_ms()
  save_waiter(ctx, w)
  call('HDEL', ctx.wait, 'd:' .. w.dh .. ':' .. w.i)
  waitlist_event(ctx, chain, { w.i })
end
remember(ctx, '~' .. w.id)
return waiter_reply(ctx, tostring(w.id))
