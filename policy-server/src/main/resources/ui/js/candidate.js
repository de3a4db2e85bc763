// A candidate policy set: rule files a reviewer edits or loads in the console and replays decisions
// against, never activated. It is kept in this tab's sessionStorage, like the token, so that the
// Policies page where it is edited and a decision page where it is replayed share it, and a reload
// keeps it; closing the tab forgets it.
import { el } from './dom.js';

const KEY = 'gatehouse.candidate';
const RULE_FILE = /\.(drl|dsl|dslr)$/;

/** The held candidate as `{path: text}`, or null. */
export function heldCandidate() {
  try {
    const files = JSON.parse(sessionStorage.getItem(KEY));
    return files && typeof files === 'object' && Object.keys(files).length ? files : null;
  } catch {
    return null;
  }
}

export function holdCandidate(files) {
  sessionStorage.setItem(KEY, JSON.stringify(files));
}

export function dropCandidate() {
  sessionStorage.removeItem(KEY);
}

/**
 * Controls that load rule files from disk as the held candidate: some files, or a policy folder
 * (its rule files by path below the folder; other files, tests among them, are left out). Calls
 * `loaded(files)` with what was read.
 */
export function filePicker(loaded) {
  const files = el('input', { type: 'file', id: 'candidate-files', multiple: true, accept: '.drl,.dsl,.dslr' });
  const folder = el('input', { type: 'file', id: 'candidate-folder', multiple: true });
  folder.webkitdirectory = true;
  const read = async (input) => {
    const picked = await readRuleFiles(input.files);
    input.value = '';
    if (Object.keys(picked).length) {
      holdCandidate(picked);
      loaded(picked);
    }
  };
  files.addEventListener('change', () => read(files));
  folder.addEventListener('change', () => read(folder));
  return el('div', { class: 'pickers' },
    el('div', {}, el('label', { for: 'candidate-files' }, 'Load rule files'), files),
    el('div', {}, el('label', { for: 'candidate-folder' }, 'or a policy folder'), folder));
}

async function readRuleFiles(list) {
  const files = {};
  for (const file of Array.from(list ?? [])) {
    // In a folder, the path below the folder chosen; files chosen one by one have their name only.
    const path = (file.webkitRelativePath || file.name).split('/').slice(file.webkitRelativePath ? 1 : 0).join('/');
    if (RULE_FILE.test(path) && !path.split('/').some((part) => part.startsWith('.'))) {
      files[path] = await file.text();
    }
  }
  return files;
}
