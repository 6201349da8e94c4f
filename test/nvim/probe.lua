-- Test driver for init.lua (not part of a user configuration): opens the manifest named by
-- KUBEGLASS_NVIM_FILE, waits until the server has indexed KUBEGLASS_NVIM_FILES files, asks for a hover at
-- KUBEGLASS_NVIM_HOVER ("line:col", 0-based) and writes what Neovim received, as JSON, to
-- KUBEGLASS_NVIM_OUT. Then quits. Every wait is bounded; a timeout is written, not hidden.
local out = { diagnostics = {}, hover = vim.NIL, errors = {} }

local function finish()
  local f = assert(io.open(vim.env.KUBEGLASS_NVIM_OUT, 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end

-- `kubeglass/status` follows every publication pass; once the scan is over (`scanning` false) and it
-- counts every file of the folder, the diagnostics received before it are the settled ones (the open
-- buffer is published first, before the scan has read the other files).
local status = nil
vim.lsp.handlers['kubeglass/status'] = function(_, result) status = result end
local expected_files = tonumber(vim.env.KUBEGLASS_NVIM_FILES)

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.KUBEGLASS_NVIM_FILE))
  local buf = vim.api.nvim_get_current_buf()
  if not vim.wait(30000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 20) then
    table.insert(out.errors, 'no language client attached to the buffer')
    return
  end
  if not vim.wait(30000, function() return status ~= nil and status.scanning == false and status.files == expected_files end, 20) then
    table.insert(out.errors, 'no kubeglass/status for ' .. tostring(expected_files) .. ' files within 30 s; last: ' .. vim.inspect(status))
  end
  out.status = status
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = d.code, source = d.source, message = d.message })
  end
  local line, col = vim.env.KUBEGLASS_NVIM_HOVER:match('^(%d+):(%d+)$')
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = tonumber(line), character = tonumber(col) } }
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 20000)
  for _, response in pairs(responses or {}) do
    if response.err then table.insert(out.errors, 'hover: ' .. vim.inspect(response.err)) end
    if response.result and response.result.contents then
      local lines = vim.lsp.util.convert_input_to_markdown_lines(response.result.contents)
      out.hover = table.concat(lines, '\n')
    end
  end
end)
if not ok then table.insert(out.errors, tostring(err)) end
finish()
