package azure

import (
	"net/http"
	"strings"

	"github.com/miplay/miplay/engine"
)

// An extra ARM route the shell's az needs: writing a site's application
// settings (az webapp config appsettings set, and the settings az
// functionapp create gives a new app).

const actSiteConfigWrite = "Microsoft.Web/sites/config/write"

var extraWebRoutes = []armRoute{
	{Route: Route{Method: "PUT", Path: sitePath + "/{name}/config/appsettings", APIVersions: webAPI, Action: actSiteConfigWrite,
		Summary: "Replace an app's application settings; inside the app they are environment variables (az webapp config appsettings set)."}, scope: siteScope, serve: putAppSettings},
}

// appSettingsBody is the body of a PUT of config/appsettings.
type appSettingsBody struct {
	Properties map[string]*string `json:"properties"`
}

func putAppSettings(c *armCall) {
	var b appSettingsBody
	if !c.decode(&b) {
		return
	}
	r, ok := c.find(engine.TypeSite, "name")
	if !ok {
		return
	}
	settings := map[string]string{}
	for k, v := range b.Properties {
		if v != nil {
			settings[k] = *v
		}
	}
	r.Site.AppSettings = settings
	c.world.Record(&engine.ResourceUpdated{ID: r.ID, Change: "app settings set to [" + strings.Join(engine.SortedKeys(settings), ", ") + "]"})
	c.decide("Replaced the application settings of %s; they are environment variables inside the app.", r.ID)
	c.reply(http.StatusOK, appSettingsJSON{ID: r.ID + "/config/appsettings", Name: "appsettings", Type: "Microsoft.Web/sites/config", Location: regionName(r.Location), Properties: settings})
}
