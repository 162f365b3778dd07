-- Headless Neovim (0.7+) as a real non-VS Code LSP client: open a replication.config, attach
-- the git-replication server over stdio, wait for its diagnostics and write them as JSON.
-- Inputs come from the environment: GR_NODE, GR_SERVER, GR_FILE, GR_OUT, GR_TIMEOUT_MS.
local node = os.getenv('GR_NODE') or 'node'
local server = assert(os.getenv('GR_SERVER'), 'GR_SERVER not set')
local file = assert(os.getenv('GR_FILE'), 'GR_FILE not set')
local out = assert(os.getenv('GR_OUT'), 'GR_OUT not set')
local timeout = tonumber(os.getenv('GR_TIMEOUT_MS') or '20000')

local function fail(msg, code)
  io.stderr:write(msg .. '\n')
  vim.cmd('cquit ' .. code)
end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()

local client_id = vim.lsp.start_client({
  name = 'git-replication',
  cmd = { node, server, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  -- No debounce: the test waits for the first publish.
  init_options = { diagnosticsDelay = 0 },
  on_exit = function(code, signal)
    if code ~= 0 then io.stderr:write(('server exited with code %s signal %s\n'):format(code, signal)) end
  end,
})
if not client_id then fail('could not start the language server', 2) end
if not vim.lsp.buf_attach_client(bufnr, client_id) then fail('could not attach the client', 2) end

local got = vim.wait(timeout, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 20)
if not got then fail('timed out waiting for diagnostics', 3) end

local diags = {}
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(diags, {
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    severity = d.severity,
    message = d.message,
    source = d.source,
    code = d.code or lsp.code,
  })
end
local fh = assert(io.open(out, 'w'))
fh:write(vim.fn.json_encode(diags))
fh:close()

-- Shut the server down politely before leaving, so it exits 0 rather than being orphaned.
vim.lsp.stop_client(client_id)
vim.wait(5000, function()
  return vim.lsp.get_client_by_id(client_id) == nil
end, 20)
vim.cmd('qall!')
