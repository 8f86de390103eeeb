"""The help plan: assessment per life domain, goals with measures, referrals."""
