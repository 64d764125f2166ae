//! The console API (`console_url`): the user operations the gateway does not offer.

use super::{Call, Client};
use crate::error::Result;
use crate::http::HttpClient;

/// A cheap authenticated probe of the console: the tenant of the API client.
pub fn probe<H: HttpClient>(client: &Client<H>) -> Result<()> {
    client.send(Call::get("/api/v3/customer/my").console())?;
    Ok(())
}
