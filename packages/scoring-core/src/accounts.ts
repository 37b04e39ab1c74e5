// The account (company) roll-up, its own entry so pages that score only people do not load it.
export {
  type AccountScoreOptions,
  accountMemberOf,
  accountResultOf,
  createAccountState,
  rollUpAccount,
  setAccountMember,
} from './rollUpAccount.js';
export type {
  AccountBreakdownEntry,
  AccountMember,
  AccountModel,
  AccountRollUp,
  AccountScore,
  AccountStage,
  AccountState,
  MqaThresholds,
} from './types.js';
