import { staffRoles, type StaffRole } from "#db/enums";

// Roles are ordered: each can do all that the ones before it can. A viewer
// sees the dashboard; an organiser also moderates and works the outbox; an
// admin also manages staff accounts and exports supporters.
export function hasRole({ role, needed }: { role: StaffRole; needed: StaffRole }) {
  return staffRoles.indexOf(role) >= staffRoles.indexOf(needed);
}

export const staffRoleLabels: Record<StaffRole, string> = {
  viewer: "Viewer",
  organiser: "Organiser",
  admin: "Admin",
};
