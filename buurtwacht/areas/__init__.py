"""Areas: Emmen's gebieden, wijken and dorpen, and the wijkagenten who serve them."""
