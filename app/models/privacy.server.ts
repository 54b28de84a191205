// The campaign's privacy settings: who the data controller is and how to
// reach them and the DPO (for the privacy notice), and how long personal data
// is kept (for the retention jobs and the notice, which must agree).
import { campaigns, type PrivacyContacts, type RetentionPeriods } from "#db/schema";
import { writeTransaction } from "#db/index";
import { recordAudit } from "~/models/audit.server";
import { findCampaign, recordSettingsVersion, requireCampaign } from "~/models/campaign.server";
import { db } from "~/utils/db.server";
import { defaultRetention } from "~/utils/retention";

type CampaignPrivacy = {
  name: string;
  fromEmail: string;
  privacy: Partial<PrivacyContacts>;
};

/**
 * The controller's contacts, with what a campaign has not yet said filled in:
 * the campaign is the controller, reached at its sender address, with no
 * postal address or DPO until an admin gives them.
 */
export function privacyContactsOf(campaign: CampaignPrivacy): PrivacyContacts {
  return {
    controllerName: campaign.name,
    controllerAddress: "",
    controllerEmail: campaign.fromEmail,
    dpoName: "",
    dpoEmail: "",
    ...campaign.privacy,
  };
}

export function retentionOf(campaign: { retention: Partial<RetentionPeriods> }): RetentionPeriods {
  return { ...defaultRetention, ...campaign.retention };
}

/** The retention periods as saved, or the defaults before a campaign is set up (the jobs still run). */
export async function savedRetention(): Promise<RetentionPeriods> {
  const campaign = await findCampaign();
  return campaign ? retentionOf(campaign) : defaultRetention;
}

/**
 * What the privacy notice is written from: the controller and DPO, the
 * retention periods and the election they count from.
 */
export async function findPrivacyNotice() {
  const campaign = await findCampaign();
  if (!campaign) return undefined;
  return {
    campaignName: campaign.name,
    electionName: campaign.electionName,
    electionDate: campaign.electionDate,
    contacts: privacyContactsOf(campaign),
    retention: retentionOf(campaign),
  };
}

/**
 * Saves the privacy contacts and retention periods, keeping a version of the
 * whole settings and an audit entry naming what changed. The contacts are the
 * controller's published ones, not a supporter's, but the audit still names
 * only which of them changed; the periods are recorded from and to.
 */
export async function savePrivacySettings({
  contacts,
  retention,
  actor,
  now,
}: {
  contacts: PrivacyContacts;
  retention: RetentionPeriods;
  actor: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const campaign = await requireCampaign();
    const before = { contacts: privacyContactsOf(campaign), retention: retentionOf(campaign) };
    const changedContacts = (Object.keys(contacts) as (keyof PrivacyContacts)[]).filter(
      (key) => contacts[key] !== before.contacts[key],
    );
    const changedPeriods = (Object.keys(retention) as (keyof RetentionPeriods)[]).filter(
      (key) => retention[key] !== before.retention[key],
    );
    if (changedContacts.length === 0 && changedPeriods.length === 0) return { outcome: "unchanged" as const };
    await db.update(campaigns).set({ privacy: contacts, retention, updatedAt: now.toISOString() });
    const version = await recordSettingsVersion({ savedBy: actor, now });
    await recordAudit({
      actor,
      action: "settings.privacy",
      subject: "campaign",
      details: {
        version,
        ...(changedContacts.length > 0 ? { contacts: changedContacts } : {}),
        ...Object.fromEntries(changedPeriods.map((key) => [key, { from: before.retention[key], to: retention[key] }])),
      },
      now,
    });
    return { outcome: "saved" as const };
  });
}
