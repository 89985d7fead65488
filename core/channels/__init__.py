"""The channels registry: where a person can be reached beyond their phone number.

On USSD and SMS the phone number is the identity, so there is nothing to remember. A Telegram
chat is only a number Telegram made up: it is tied to a person when, in that chat, they prove a
mobile with an OTP (creating a Health ID, or logging in). From then on the chat may act for the
ABHAs held by that verified mobile (a family shares one phone) and the records and consent
notices for those ABHAs can reach it. The chat's chosen language is kept here too, so it
outlives the conversation state.
"""
