// The dashboard's behaviour, in plain JavaScript (no framework, nothing from the internet).
// It reads the JSON endpoints next to the page (overview, requests, scenarios, openapi.json),
// listens to `events` (Server-Sent Events, read with fetch so the admin token can be sent)
// and re-renders what changed. Data is only ever put in the page as text (textContent),
// never as HTML. With an admin token set on the mock, every request but the page's own
// files carries it.
'use strict';

(function dashboard() {
  const TOKEN_KEY = 'voucherify-mock-admin-token';
  const JOURNAL_LIMIT = 100;

  const view = {
    overview: null,
    journal: [],
    openRequests: new Set(),
    seenPublications: null,
    seenRequests: null,
    filters: {},
    operations: [],
    token: readToken(),
  };

  function $(id) {
    return document.getElementById(id);
  }

  function readToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY) || '';
    } catch {
      return '';
    }
  }

  function saveToken(token) {
    view.token = token;
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // Storage may be off (private mode); the token then lives until the page is closed.
    }
  }

  /** el('td', { className: 'num', title: '…' }, child, 'text', …) */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') node.className = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2).toLowerCase(), value);
      else if (key === 'style') node.setAttribute('style', value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /**
   * Gives each cell of a table body its column's name (data-label): on a narrow
   * screen the rows become stacked blocks (dashboard.css) and the header row
   * is hidden, so each value carries its label.
   */
  function labelCells(tbody) {
    const headers = Array.from(tbody.closest('table').querySelectorAll('thead th')).map((th) => th.textContent.trim());
    for (const row of tbody.children) {
      if (row.classList.contains('details')) continue;
      Array.from(row.children).forEach((cell, i) => {
        if (!cell.hasAttribute('colspan') && headers[i]) cell.dataset.label = headers[i];
      });
    }
  }

  function toast(message, kind) {
    const node = el(
      'div',
      { className: `toast${kind === 'error' ? ' toast-error' : ''}`, role: kind === 'error' ? 'alert' : 'status' },
      message,
    );
    $('toasts').append(node);
    setTimeout(() => node.remove(), kind === 'error' ? 6000 : 3500);
  }

  /** The admin token header, when one was entered: reading the state and the journal needs it too. */
  function tokenHeaders(headers) {
    const out = Object.assign({}, headers || {});
    if (view.token) out['X-Mock-Admin-Token'] = view.token;
    return out;
  }

  /** fetch + JSON; a non-2xx answer throws an Error carrying the mock's `details`. */
  async function api(path, options) {
    const init = Object.assign({}, options || {});
    delete init.admin;
    init.headers = tokenHeaders(init.headers);
    const res = await fetch(path, init);
    const text = await res.text();
    let body;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!res.ok) {
      const error = new Error((body && (body.details || body.message)) || `${res.status} ${res.statusText}`);
      error.status = res.status;
      error.key = body && body.key;
      throw error;
    }
    return body;
  }

  function reportError(error) {
    if (error && error.key === 'admin_token_required') {
      $('token-box').hidden = false;
      $('token').focus();
    }
    toast(error && error.message ? error.message : String(error), 'error');
  }

  // ---------- formatting ----------

  function formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    const time = date.toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    if (date.toDateString() === new Date().toDateString()) return time;
    return `${date.toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' })} ${time}`;
  }

  function timeCell(iso) {
    return el('td', { className: 'num time', title: iso }, formatTime(iso));
  }

  function number(n) {
    return Number(n).toLocaleString();
  }

  const TYPE_TAGS = {
    DISCOUNT_VOUCHER: ['discount', 'Discount'],
    GIFT_VOUCHER: ['gift', 'Gift card'],
    LOYALTY_CARD: ['loyalty', 'Loyalty'],
  };

  /** Name (or email, source_id, id) over a second line: the source_id, or the id when `sub` is 'id'. */
  function customerCell(customer, sub) {
    if (!customer) return el('td', {}, el('span', { className: 'muted' }, 'unknown'));
    const title = customer.name || customer.email || customer.source_id || customer.id;
    if (sub === 'id') {
      return el(
        'td',
        {},
        el(
          'div',
          { className: 'who' },
          el('span', { className: 'who-name' }, title),
          el('span', { className: 'who-sub' }, customer.id),
        ),
      );
    }
    return el(
      'td',
      {},
      el(
        'div',
        { className: 'who' },
        el('span', { className: 'who-name' }, title),
        el(
          'span',
          { className: 'who-sub' },
          customer.source_id && customer.source_id !== title ? customer.source_id : customer.id,
        ),
      ),
    );
  }

  /** A cell that takes a whole stacked row on narrow screens (ids stay on one line). */
  function wide(cell) {
    cell.classList.add('cell-wide');
    return cell;
  }

  function codePill(code) {
    return el(
      'button',
      {
        type: 'button',
        className: 'code-pill',
        title: 'Show its QR code and barcode',
        dataset: { code },
        onClick: () => showCode(code),
      },
      code,
    );
  }

  // ---------- overview: stats, campaigns, publications, customers ----------

  function renderOverview(overview) {
    view.overview = overview;
    $('seed').textContent = `seed ${overview.seed}`;
    $('token-box').hidden = !overview.admin_token_required;
    const fixedPools = overview.campaigns.filter((c) => !c.auto_update);
    $('stat-campaigns').textContent = number(overview.campaigns.length);
    $('stat-codes').textContent = number(fixedPools.reduce((sum, c) => sum + c.vouchers_remaining, 0));
    $('stat-publications').textContent = number(overview.publications.total);
    $('stat-customers').textContent =
      overview.customers.recent.length >= 50 ? '50+' : number(overview.customers.recent.length);
    $('stat-requests').textContent = number(overview.journal.size);
    renderScenarios(overview.scenarios);
    renderCampaigns(overview.campaigns);
    renderPublications(overview.publications);
    renderCustomers(overview.customers.recent);
    renderSnippet(overview.campaigns);
  }

  function renderCampaigns(campaigns) {
    const items = campaigns.map((c) => {
      const [tagClass, tagText] = TYPE_TAGS[c.type] || ['', c.type];
      const share = c.vouchers_total > 0 ? c.vouchers_remaining / c.vouchers_total : 0;
      let fillClass = 'bar-fill';
      let width = Math.round(share * 100);
      if (c.auto_update) {
        fillClass += ' auto';
        width = 100;
      } else if (c.vouchers_remaining === 0) {
        fillClass += ' dry';
        width = 100;
      } else if (share < 0.25) {
        fillClass += ' low';
      }
      const left = c.auto_update
        ? el(
            'span',
            { className: 'campaign-left', title: 'Auto-update: a new code is made whenever the pool is empty' },
            el('strong', {}, number(c.vouchers_remaining)),
            ' pre-made',
          )
        : c.vouchers_remaining === 0
          ? el(
              'span',
              { className: 'campaign-left failed' },
              el('strong', {}, '0'),
              ` of ${number(c.vouchers_total)} left · run dry`,
            )
          : el(
              'span',
              { className: 'campaign-left' },
              el('strong', {}, number(c.vouchers_remaining)),
              ` of ${number(c.vouchers_total)} left`,
            );
      return el(
        'li',
        { className: 'campaign', dataset: { campaign: c.name } },
        el('span', { className: 'campaign-name', title: `${c.name}\n${c.id}` }, c.name),
        left,
        el(
          'div',
          {
            className: 'bar',
            role: 'meter',
            'aria-label': `${c.name}: codes left`,
            'aria-valuemin': 0,
            'aria-valuemax': c.vouchers_total,
            'aria-valuenow': c.vouchers_remaining,
          },
          el('div', { className: fillClass, style: `width:${width}%` }),
        ),
        el(
          'div',
          { className: 'campaign-foot' },
          el(
            'div',
            { className: 'campaign-tags' },
            el('span', { className: `tag tag-${tagClass}` }, tagText),
            c.is_referral && el('span', { className: 'tag tag-referral' }, 'Referral'),
            c.auto_update &&
              el(
                'span',
                { className: 'tag tag-auto', title: 'Auto-update: a new code is made whenever the pool is empty' },
                'Auto',
              ),
            !c.active && el('span', { className: 'tag tag-inactive' }, 'Inactive'),
          ),
        ),
      );
    });
    $('campaign-list').replaceChildren(...items);
    if (items.length === 0)
      $('campaign-list').append(el('li', { className: 'cell-empty' }, 'No campaigns in this world.'));
  }

  function renderPublications(publications) {
    const previous = view.seenPublications;
    view.seenPublications = new Set(publications.recent.map((p) => p.id));
    const rows = publications.recent.map((p) =>
      el(
        'tr',
        { className: previous && !previous.has(p.id) ? 'fresh' : '', dataset: { publication: p.id } },
        el(
          'td',
          { className: 'cell-wide' },
          p.result === 'SUCCESS'
            ? el('div', { className: 'codes' }, p.codes.map(codePill))
            : el(
                'div',
                { className: 'codes' },
                el('span', { className: 'failed-pill' }, 'Failed'),
                el('span', { className: 'fail-code' }, p.failure_code || 'unknown'),
              ),
          el('div', { className: 'mono-sub' }, p.id),
        ),
        customerCell(p.customer),
        el('td', {}, p.campaign || el('span', { className: 'muted' }, 'standalone')),
        el('td', {}, p.channel),
        timeCell(p.created_at),
      ),
    );
    $('publication-rows').replaceChildren(...rows);
    labelCells($('publication-rows'));
    $('publications-empty').hidden = rows.length > 0;
    $('publications-hint').textContent =
      publications.total > rows.length
        ? `newest ${rows.length} of ${number(publications.total)}`
        : `${number(publications.total)} in all`;
  }

  function renderCustomers(customers) {
    const rows = customers.map((c) =>
      el(
        'tr',
        { dataset: { customer: c.id } },
        wide(customerCell(c, 'id')),
        el('td', {}, c.source_id ? el('code', {}, c.source_id) : el('span', { className: 'muted' }, '—')),
        timeCell(c.created_at),
      ),
    );
    if (rows.length === 0)
      rows.push(el('tr', {}, el('td', { colspan: 3, className: 'cell-empty' }, 'No customers yet.')));
    $('customer-rows').replaceChildren(...rows);
    labelCells($('customer-rows'));
  }

  function renderSnippet(campaigns) {
    const campaign = campaigns.find((c) => c.auto_update) || campaigns[0];
    const name = campaign ? campaign.name : 'Your campaign';
    const query = `customer[source_id]=qa-customer-1&campaign[name]=${encodeURIComponent(name)}`;
    $('publish-snippet').textContent =
      `curl -s -H 'X-App-Id: my-app' -H 'X-App-Token: my-secret' \\\n  ` +
      `'${location.origin}/v1/publications/create?${query}'`;
  }

  // ---------- journal ----------

  function statusPill(entry) {
    if (entry.status === null)
      return el('span', { className: 'status status-x', title: 'No answer: the connection was dropped' }, 'drop');
    return el('span', { className: `status status-${String(entry.status)[0]}` }, entry.status);
  }

  function queryText(query) {
    const parts = [];
    const walk = (value, prefix) => {
      if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}[${k}]` : k);
      } else {
        parts.push(`${prefix}=${value}`);
      }
    };
    walk(query, '');
    return parts.length ? `?${parts.join('&')}` : '';
  }

  function jsonBlock(title, value) {
    if (value === null || value === undefined || (typeof value === 'object' && Object.keys(value).length === 0))
      return null;
    return el('div', {}, el('h3', {}, title), el('pre', { className: 'json' }, JSON.stringify(value, null, 2)));
  }

  function journalRows(entry, fresh) {
    const customer = entry.customer.source_id || entry.customer.id;
    const open = view.openRequests.has(entry.id);
    const row = el(
      'tr',
      {
        className: fresh ? 'fresh' : '',
        dataset: { request: entry.id },
        'aria-expanded': open ? 'true' : 'false',
        title: 'Show the request',
        onClick: () => {
          if (view.openRequests.has(entry.id)) view.openRequests.delete(entry.id);
          else view.openRequests.add(entry.id);
          renderJournal();
        },
      },
      timeCell(entry.time),
      el(
        'td',
        { className: 'cell-wide' },
        el('span', { className: `method method-${entry.method}` }, entry.method),
        el(
          'span',
          { className: 'req-path' },
          entry.path,
          el('span', { className: 'req-query' }, queryText(entry.query)),
        ),
        entry.forced &&
          el(
            'span',
            { className: 'forced', title: entry.forced },
            entry.forced.startsWith('scenario') ? 'scenario' : 'Prefer',
          ),
      ),
      el('td', { className: 'num' }, statusPill(entry)),
      el('td', { className: 'num' }, entry.duration_ms.toFixed(1)),
      el(
        'td',
        {},
        entry.error_key
          ? el('span', { className: 'err-key' }, entry.error_key)
          : el('span', { className: 'muted' }, '—'),
      ),
      el('td', {}, customer ? el('code', {}, customer) : el('span', { className: 'muted' }, '—')),
    );
    if (!open) return [row];
    const details = el(
      'tr',
      { className: 'details' },
      el(
        'td',
        { colspan: 6 },
        el(
          'div',
          { className: 'detail-grid' },
          jsonBlock('Query', entry.query),
          jsonBlock('Body', entry.body),
          jsonBlock('Headers', entry.headers),
          jsonBlock(
            entry.error ? 'Error answer' : 'Answer',
            entry.error ||
              (entry.voucher_codes.length
                ? { publication_id: entry.publication_id, voucher_codes: entry.voucher_codes }
                : null),
          ),
          entry.forced && el('div', {}, el('h3', {}, 'Forced by'), el('p', { className: 'text-block' }, entry.forced)),
        ),
      ),
    );
    return [row, details];
  }

  function renderJournal() {
    const previous = view.seenRequests;
    view.seenRequests = new Set(view.journal.map((e) => e.id));
    const rows = view.journal.flatMap((entry) => journalRows(entry, previous && !previous.has(entry.id)));
    $('journal-rows').replaceChildren(...rows);
    labelCells($('journal-rows'));
    const filtered = Object.keys(view.filters).length > 0;
    $('journal-empty').hidden = rows.length > 0;
    $('journal-empty').querySelector('.empty-title').textContent = filtered
      ? 'No request matches these filters'
      : 'No requests yet';
  }

  function journalQuery() {
    const params = new URLSearchParams({ limit: String(JOURNAL_LIMIT) });
    for (const [key, value] of Object.entries(view.filters)) params.set(key, value);
    return `requests?${params}`;
  }

  let journalAsked = 0;
  let journalDrawn = 0;
  async function loadJournal() {
    const asked = ++journalAsked;
    try {
      const list = await api(journalQuery());
      if (asked < journalDrawn) return;
      journalDrawn = asked;
      $('journal-error').hidden = true;
      // Entries pushed live while this list was on its way are newer than its newest: keep them.
      const newest = list.requests.length > 0 ? list.requests[0].id : 0;
      const live = Object.keys(view.filters).length === 0 ? view.journal.filter((e) => e.id > newest) : [];
      view.journal = [...live, ...list.requests].slice(0, JOURNAL_LIMIT);
      renderJournal();
    } catch (error) {
      $('journal-error').textContent = error.message;
      $('journal-error').hidden = false;
    }
  }

  function addJournalEntry(entry) {
    if (!entry) return;
    if (Object.keys(view.filters).length > 0) {
      scheduleJournal();
      return;
    }
    view.journal = [entry, ...view.journal.filter((e) => e.id !== entry.id)].slice(0, JOURNAL_LIMIT);
    renderJournal();
  }

  // ---------- scenarios ----------

  function describeFault(fault) {
    switch (fault.type) {
      case 'error':
        return `error ${[fault.status, fault.example || fault.key].filter(Boolean).join(' ')}`;
      case 'rate_limit':
        return `429 · Retry-After ${fault.retry_after === undefined ? 1 : fault.retry_after}s`;
      case 'server_error':
        return '500 internal error';
      case 'delay':
        return `delay ${number(fault.ms)} ms`;
      case 'drop':
        return 'dropped connection';
      default:
        return fault.type;
    }
  }

  function renderScenarios(scenarios) {
    $('stat-scenarios').textContent = number(scenarios.length);
    $('clear-scenarios').hidden = scenarios.length === 0;
    const items = scenarios.map((s) => {
      const conditions = [];
      for (const [k, v] of Object.entries(s.query || {})) conditions.push(`query ${k} = ${JSON.stringify(v)}`);
      for (const [k, v] of Object.entries(s.body || {})) conditions.push(`body ${k} = ${JSON.stringify(v)}`);
      return el(
        'li',
        { className: 'scenario', dataset: { scenario: s.id } },
        el(
          'div',
          {},
          el('div', { className: 'scenario-what' }, `${s.method} ${s.path} → ${describeFault(s.fault)}`),
          el(
            'div',
            { className: 'scenario-when' },
            [s.id, conditions.length ? `when ${conditions.join(' and ')}` : 'any matching request', s.note]
              .filter(Boolean)
              .join(' · '),
          ),
        ),
        el('span', { className: 'scenario-left' }, `${number(s.remaining)} of ${number(s.times)} left`),
        el(
          'button',
          {
            type: 'button',
            className: 'btn btn-icon',
            title: `Remove ${s.id}`,
            'aria-label': `Remove ${s.id}`,
            onClick: () => removeScenario(s.id),
          },
          '✕',
        ),
      );
    });
    $('scenario-list').replaceChildren(...items);
    $('scenarios-empty').hidden = items.length > 0;
  }

  async function removeScenario(id) {
    try {
      await api(`scenarios/${encodeURIComponent(id)}`, { method: 'DELETE', admin: true });
      await loadScenarios();
    } catch (error) {
      reportError(error);
    }
  }

  async function loadScenarios() {
    const list = await api('scenarios');
    renderScenarios(list.scenarios);
  }

  /** Routes and their documented errors, from the mock's own spec. */
  async function loadOperations() {
    const spec = await api('openapi.json');
    const operations = [];
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[method];
        if (!op) continue;
        const errors = [];
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400 || Number(status) === 429) continue;
          const resolved = response.$ref ? resolveRef(spec, response.$ref) : response;
          const examples =
            (resolved &&
              resolved.content &&
              resolved.content['application/json'] &&
              resolved.content['application/json'].examples) ||
            {};
          for (const name of Object.keys(examples)) errors.push({ status: Number(status), example: name });
        }
        operations.push({ method: method.toUpperCase(), path, summary: op.summary || op.operationId, errors });
      }
    }
    view.operations = operations;
    $('scenario-route').replaceChildren(
      ...operations.map((op, i) => el('option', { value: String(i) }, `${op.method} ${op.path}`)),
    );
    fillErrorOptions();
  }

  function resolveRef(spec, ref) {
    return ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((node, part) => (node ? node[part] : undefined), spec);
  }

  function fillErrorOptions() {
    const op = view.operations[Number($('scenario-route').value)] || view.operations[0];
    if (!op) return;
    $('scenario-example').replaceChildren(
      ...op.errors.map((e) => el('option', { value: `${e.status}:${e.example}` }, `${e.status} · ${e.example}`)),
    );
  }

  function showFaultFields() {
    const type = $('scenario-type').value;
    for (const label of document.querySelectorAll('#scenario-form [data-for]'))
      label.hidden = label.dataset.for !== type;
  }

  function typedValue(text) {
    return /^(true|false|null|-?\d+(\.\d+)?)$/.test(text) ? JSON.parse(text) : text;
  }

  async function queueScenario(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const op = view.operations[Number(form.get('route'))];
    if (!op) return;
    const type = String(form.get('type'));
    const fault = { type };
    if (type === 'error') {
      const [status, ...name] = String(form.get('example')).split(':');
      fault.status = Number(status);
      fault.example = name.join(':');
    } else if (type === 'rate_limit') {
      fault.retry_after = Number(form.get('retry_after'));
    } else if (type === 'delay') {
      fault.ms = Number(form.get('ms'));
    }
    const scenario = { method: op.method, path: op.path, times: Number(form.get('times')), fault };
    const field = String(form.get('match_field') || '').trim();
    if (field) {
      const value = String(form.get('match_value') || '');
      scenario[form.get('match_in') === 'query' ? 'query' : 'body'] = {
        [field]: form.get('match_in') === 'query' ? value : typedValue(value),
      };
    }
    const note = String(form.get('note') || '').trim();
    if (note) scenario.note = note;
    try {
      const queued = await api('scenarios', {
        method: 'POST',
        admin: true,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(scenario),
      });
      toast(
        `Queued ${queued.id}: the next ` +
          `${queued.times === 1 ? 'request' : `${queued.times} requests`} to ` +
          `${queued.method} ${queued.path} get ${describeFault(queued.fault)}.`,
      );
      await loadScenarios();
    } catch (error) {
      reportError(error);
    }
  }

  // ---------- controls ----------

  let resetTimer;
  async function onReset() {
    const button = $('reset');
    if (!button.classList.contains('confirming')) {
      button.classList.add('confirming');
      button.textContent = 'Click again to reset';
      resetTimer = setTimeout(() => {
        button.classList.remove('confirming');
        button.textContent = 'Reset';
      }, 4000);
      return;
    }
    clearTimeout(resetTimer);
    button.classList.remove('confirming');
    button.textContent = 'Reset';
    try {
      await api('reset', { method: 'POST', admin: true });
      toast('Back to the starting world.');
      await Promise.all([loadOverview(), loadJournal()]);
    } catch (error) {
      reportError(error);
    }
  }

  /** "12 campaigns, 300 vouchers, …" of a snapshot's or the overview's numbers. */
  function describeCounts(counts) {
    return (
      `${number(counts.campaigns)} campaigns, ${number(counts.vouchers)} ` +
      `vouchers, ${number(counts.customers)} customers, ` +
      `${number(counts.publications)} publications`
    );
  }

  /** What the chosen file holds, if it reads as a snapshot (the mock checks it whole anyway). */
  function snapshotCounts(text) {
    try {
      const state = JSON.parse(text).state;
      return {
        campaigns: state.campaigns.length,
        vouchers: state.vouchers.length,
        customers: state.customers.length,
        publications: state.publications.length,
      };
    } catch {
      return null;
    }
  }

  /** Asks before a restore replaces everything; resolves to true only when "Replace state" was chosen. */
  function confirmRestore(fileName, counts) {
    const dialog = $('restore-dialog');
    $('restore-dialog-file').textContent = `Restore ${fileName} into this mock?`;
    $('restore-dialog-counts').textContent = counts
      ? `The file holds ${describeCounts(counts)}.`
      : 'The file does not read as a snapshot; the mock will say what is wrong with it.';
    dialog.returnValue = '';
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'restore'), { once: true });
      dialog.showModal();
    });
  }

  async function onRestore(event) {
    const input = event.target;
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    try {
      const text = await file.text();
      if (!(await confirmRestore(file.name, snapshotCounts(text)))) {
        toast('Restore cancelled: nothing changed.');
        return;
      }
      const result = await api('state', {
        method: 'PUT',
        admin: true,
        headers: { 'Content-Type': 'application/json' },
        body: text,
      });
      const c = result.counts;
      toast(
        `Restored ${file.name}: ${c.campaigns} campaigns, ${c.vouchers} ` +
          `vouchers, ${c.customers} customers, ${c.publications} publications.`,
      );
      await loadOverview();
    } catch (error) {
      reportError(error);
    }
  }

  function showCode(code) {
    const encoded = encodeURIComponent(code);
    $('code-dialog-title').textContent = code;
    $('code-qr').src = `assets/qr/${encoded}.png`;
    $('code-barcode').src = `assets/barcode/${encoded}.png`;
    $('code-dialog').showModal();
  }

  // ---------- loading and live updates ----------

  // Answers can arrive out of order (a slow one started before a newer one): only the newest asked is drawn.
  let overviewAsked = 0;
  let overviewDrawn = 0;
  async function loadOverview() {
    const asked = ++overviewAsked;
    try {
      const overview = await api('overview');
      if (asked < overviewDrawn) return;
      overviewDrawn = asked;
      renderOverview(overview);
    } catch (error) {
      reportError(error);
    }
  }

  function debounce(fn, ms) {
    let timer;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  const scheduleOverview = debounce(loadOverview, 150);
  const scheduleJournal = debounce(loadJournal, 150);

  function setLive(on, text) {
    $('live').className = `live ${on ? 'live-on' : 'live-off'}`;
    $('live-text').textContent = text;
  }

  /**
   * The event stream, read with fetch (EventSource cannot send the admin token).
   * A dropped stream (the mock restarted, or dropped a client that fell behind)
   * is opened again after `retry` ms; a 401 waits for the token to be entered.
   */
  function connectEvents() {
    const handlers = {
      request(data) {
        addJournalEntry(JSON.parse(data));
        scheduleOverview();
      },
      state() {
        // A reset empties the journal and restarts its ids.
        view.openRequests.clear();
        view.journal = [];
        scheduleOverview();
        scheduleJournal();
      },
      scenarios(data) {
        renderScenarios(JSON.parse(data));
        // An overview already on its way may predate this change: ask again after it.
        scheduleOverview();
      },
    };
    let generation = 0;
    let controller = null;
    let retryTimer;
    let retryMs = 2000;
    let stopped = false;

    function dispatch(block) {
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        else if (line.startsWith('retry:') && /^\d+$/.test(line.slice(6).trim()))
          retryMs = Number(line.slice(6).trim());
      }
      if (data.length > 0 && handlers[type]) handlers[type](data.join('\n'));
    }

    function retryLater(mine) {
      if (stopped || mine !== generation) return;
      setLive(false, 'Reconnecting…');
      clearTimeout(retryTimer);
      retryTimer = setTimeout(open, retryMs);
    }

    async function open() {
      const mine = ++generation;
      if (controller) controller.abort();
      controller = new AbortController();
      let res;
      try {
        res = await fetch('events', {
          headers: tokenHeaders({ Accept: 'text/event-stream' }),
          signal: controller.signal,
          cache: 'no-store',
        });
      } catch {
        retryLater(mine);
        return;
      }
      if (res.status === 401) {
        setLive(false, 'Needs the admin token');
        $('token-box').hidden = false;
        return; // opened again when a token is entered
      }
      if (!res.ok || !res.body) {
        retryLater(mine);
        return;
      }
      setLive(true, 'Live');
      // Whatever happened between the first load and this (re)connection sent no event to us: load it now.
      scheduleOverview();
      scheduleJournal();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
          }
        }
      } catch {
        // Aborted or cut: opened again below.
      }
      retryLater(mine);
    }

    window.addEventListener('pagehide', () => {
      stopped = true;
      if (controller) controller.abort();
    });
    open();
    return {
      reopen() {
        clearTimeout(retryTimer);
        open();
      },
    };
  }

  /** Downloads the snapshot through fetch, so the admin token goes with it (a plain link cannot send it). */
  async function onDownload(event) {
    event.preventDefault();
    try {
      const res = await fetch('state?download=1', { headers: tokenHeaders() });
      if (!res.ok) {
        const body = await res.json().catch(() => null);
        const error = new Error((body && (body.details || body.message)) || `${res.status} ${res.statusText}`);
        error.key = body && body.key;
        throw error;
      }
      const name = /filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '');
      const url = URL.createObjectURL(await res.blob());
      const link = el('a', { href: url, download: name ? name[1] : 'mock-state.json' });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      reportError(error);
    }
  }

  function onFilters() {
    const form = new FormData($('journal-filters'));
    const filters = {};
    for (const key of ['path', 'status', 'customer']) {
      const value = String(form.get(key) || '').trim();
      if (value) filters[key] = value;
    }
    view.filters = filters;
    scheduleJournal();
  }

  function start() {
    $('token').value = view.token;
    // A new token: read everything again with it, and reopen the event stream.
    const retryWithToken = debounce(() => {
      events.reopen();
      loadOverview();
      loadJournal();
    }, 300);
    $('token').addEventListener('input', (event) => {
      saveToken(event.target.value);
      retryWithToken();
    });
    $('download').addEventListener('click', onDownload);
    $('reset').addEventListener('click', onReset);
    $('restore').addEventListener('change', onRestore);
    $('journal-filters').addEventListener('input', onFilters);
    $('journal-filters').addEventListener('reset', () => setTimeout(onFilters, 0));
    $('journal-filters').addEventListener('submit', (event) => event.preventDefault());
    $('scenario-form').addEventListener('submit', queueScenario);
    $('scenario-route').addEventListener('change', fillErrorOptions);
    $('scenario-type').addEventListener('change', showFaultFields);
    $('clear-scenarios').addEventListener('click', async () => {
      try {
        await api('scenarios', { method: 'DELETE', admin: true });
        await loadScenarios();
      } catch (error) {
        reportError(error);
      }
    });
    showFaultFields();
    const events = connectEvents();
    loadOverview();
    loadJournal();
    loadOperations().catch(reportError);
  }

  start();
})();
