"""Published crime and stop-search data (data.police.uk): recorded crime, outcomes, searches."""
