/** For the window to place: the account menu (toolbar), the organisation sign-in (sign-in screen), the MFA setup step. */
export { AccountMenu } from './AccountMenu';
export { BrowserSignIn } from '../managedLogin/BrowserSignIn';
export { MfaSetup } from '../mfa/MfaSetup';
export { EnrolmentPanel } from '../mfa/EnrolmentPanel';
