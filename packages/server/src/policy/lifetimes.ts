/** How long registrations live on the app-level surfaces, where no client sets an expiry. */
import { DAY } from "../clock.js";

/** OneNote keeps a user registered for six months after the app's last call on their behalf. */
export const ONENOTE_REGISTRATION_MS = 182 * DAY;
/** The OneDrive preview notifies for users who used the app within the last two months. */
export const LEGACY_ONEDRIVE_ACTIVITY_MS = 60 * DAY;
