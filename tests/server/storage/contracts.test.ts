/** Every store's contract suite, on every backend. */
import { describe } from 'vitest'
import { catalogueContract } from './catalogue.contract.ts'
import { BACKENDS } from './fixtures.ts'
import { logContract } from './log.contract.ts'
import { membersContract } from './members.contract.ts'
import { notesContract } from './notes.contract.ts'
import { recordsContract } from './records.contract.ts'
import { snapshotsContract } from './snapshots.contract.ts'
import { storageContract } from './storage.contract.ts'
import { votesContract } from './votes.contract.ts'

const SUITES = {
  storage: storageContract,
  catalogue: catalogueContract,
  log: logContract,
  snapshots: snapshotsContract,
  votes: votesContract,
  members: membersContract,
  notes: notesContract,
  records: recordsContract,
}

for (const { name, open } of BACKENDS) {
  describe(`${name} storage`, () => {
    for (const [store, contract] of Object.entries(SUITES)) describe(`${store} contract`, () => contract(open))
  })
}
