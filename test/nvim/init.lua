-- A minimal Neovim (0.7 or newer) configuration that runs the Kubeglass language server for YAML
-- buffers, with nothing but the built-in LSP client. docs/editors.md explains it; the test in
-- test/nvim/nvim.test.ts uses it unchanged. `kubeglass` must be on PATH (npm install -g, or a link
-- to bin/kubeglass.js).
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local function root_of(file)
  -- The nearest folder with a .kubeglass.yaml or a .git, else the file's own folder.
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local settings = vim.fn.findfile('.kubeglass.yaml', dir .. ';')
  if settings ~= '' then return vim.fn.fnamemodify(settings, ':p:h') end
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then return vim.fn.fnamemodify(git, ':p:h:h') end -- ':p' ends a folder with '/'
  return dir
end

local clients = {} -- one server per root folder

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'yaml', 'json' },
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    if file == '' then return end
    local root = root_of(file)
    if not clients[root] then
      clients[root] = vim.lsp.start_client({
        name = 'kubeglass',
        cmd = { 'kubeglass', 'lsp', '--stdio' },
        root_dir = root,
        -- Answers the server's `workspace/configuration` requests (same keys as .kubeglass.yaml).
        settings = { kubeglass = {} },
      })
    end
    if clients[root] then vim.lsp.buf_attach_client(args.buf, clients[root]) end
  end,
})

-- Hover with K, like most configurations do.
vim.keymap.set('n', 'K', vim.lsp.buf.hover)
